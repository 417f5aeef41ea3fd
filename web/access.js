// What the signed-in user may change, mirroring the server's rules
// (the server decides; this only decides what to offer).

export const ALL_FIELDS = ['uscc', 'name_zh', 'name_en', 'industry', 'cluster_id', 'stage', 'size',
  'founded', 'address', 'lon', 'lat', 'employees', 'in_park', 'tags', 'contacts'];

const ENTERPRISE_FIELDS = ['address', 'employees', 'contacts'];

export function mayEdit(user, e) {
  if (!user || !e) return false;
  switch (user.role) {
    case 'admin':
    case 'officer':
      return true;
    case 'secretary':
      return Boolean(user.cluster_id) && user.cluster_id === e.cluster_id;
    case 'enterprise':
      return Boolean(user.enterprise_id) && user.enterprise_id === e.id;
    default:
      return false;
  }
}

export function editableFields(user, e) {
  if (!mayEdit(user, e)) return [];
  switch (user.role) {
    case 'secretary':
      return ALL_FIELDS.filter((f) => f !== 'uscc' && f !== 'cluster_id');
    case 'enterprise':
      return ENTERPRISE_FIELDS.slice();
    default:
      return ALL_FIELDS.slice();
  }
}

// Registering enterprises, one by one or by a file.
export function mayRegister(user) {
  return Boolean(user) && (user.role === 'officer' || user.role === 'admin');
}

export function mayOverrideUscc(user) {
  return Boolean(user) && user.role === 'officer';
}

// What the bar offers each role, by the rules the pages apply when they
// are opened: kept here, apart from the pages, so that the bar is drawn
// without loading them (app.js loads a page when it is first opened).
const DASHBOARD_ROLES = ['admin', 'officer', 'secretary', 'grid_worker'];
export const mayReadDashboard = (user) => Boolean(user) && DASHBOARD_ROLES.includes(user.role);
export const mayReadChains = (user) => Boolean(user) && user.role !== 'enterprise';
export const mayReadLeads = (user) => Boolean(user) && ['admin', 'officer', 'secretary'].includes(user.role);
export const mayReadGrids = (user) => Boolean(user) && user.role !== 'enterprise';
export const mayReadCases = (user) => Boolean(user);
export const mayReadPolicies = (user) => Boolean(user && user.role !== 'enterprise');
export const mayReadEvents = (user) => Boolean(user && user.role !== 'grid_worker');
export const mayReadOrgs = (user) => Boolean(user) && user.role !== 'enterprise';
export const mayManageUsers = (user) => Boolean(user) && user.role === 'admin';
export const mayReadAudit = (user) => Boolean(user) && user.role === 'admin';
export const isEnterprise = (user) => Boolean(user && user.role === 'enterprise' && user.enterprise_id);
