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
