// Every label of the console, in Simplified Chinese (the default) and
// English. t('key', {name: 'x'}) looks a label up and fills {name}.

const STORAGE_KEY = 'qunyan.lang';
export const LANGS = ['zh-CN', 'en'];

const zh = {
  'app.name': '群雁',
  'app.subtitle': '张堰镇产业园区服务平台',
  'app.title': '群雁 · 张堰镇产业园区服务平台',
  'app.skip': '跳到主要内容',
  'app.footer': '群雁 · 张堰镇人民政府 企业服务办公室',
  'lang.switch': 'English',
  'lang.switch.short': 'EN',
  'lang.switch.label': 'Switch to English',
  'nav.label': '主导航',
  'nav.enterprises': '企业名录',
  'nav.clusters': '集群',
  'nav.bulletin': '公告',
  'nav.signin': '登录',
  'nav.signout': '退出登录',
  'nav.user': '当前用户',
  'nav.breadcrumb': '当前位置',

  'role.admin': '系统管理员',
  'role.officer': '镇政府工作人员',
  'role.secretary': '集群党支部书记',
  'role.grid_worker': '网格员',
  'role.handler': '部门经办人',
  'role.enterprise': '企业联系人',

  'login.title': '登录',
  'login.intro': '请使用您的工作账号登录。',
  'login.username': '用户名',
  'login.password': '密码',
  'login.submit': '登录',
  'login.busy': '正在登录…',
  'login.required': '请输入用户名和密码。',
  'login.public': '无需登录即可阅读：',
  'login.expired': '登录已过期，请重新登录。',
  'login.signedout': '您已退出登录。',

  'common.loading': '正在加载…',
  'common.retry': '重试',
  'common.none': '—',
  'common.any': '全部',
  'common.yes': '是',
  'common.no': '否',
  'common.back': '返回',
  'common.close': '关闭',
  'common.notfound': '找不到该页面。',
  'common.notfound.title': '页面不存在',
  'common.forbidden': '您没有查看此内容的权限。',
  'error.network': '无法连接服务器，请检查网络后重试。',
  'error.generic': '出错了：{message}',
  'error.server': '服务器错误（{status}）',

  'list.title': '企业名录',
  'list.intro': '园区登记在册的企业。可按名称、地址或统一社会信用代码检索。',
  'list.search': '搜索企业',
  'list.search.placeholder': '企业名称、地址或统一社会信用代码',
  'list.filters': '筛选条件',
  'list.filter.cluster': '产业集群',
  'list.filter.stage': '产业链环节',
  'list.filter.size': '企业规模',
  'list.filter.status': '经营状态',
  'list.filter.tag': '标签',
  'list.filter.tag.placeholder': '如：专精特新',
  'list.filter.located': '所在位置',
  'list.located.park': '园区内企业',
  'list.located.outside': '园区外合作企业',
  'list.located.all': '全部',
  'list.sort': '排序',
  'list.sort.id': '登记顺序',
  'list.sort.name': '名称 A→Z',
  'list.sort.-name': '名称 Z→A',
  'list.sort.founded': '成立最早',
  'list.sort.-founded': '成立最晚',
  'list.sort.employees': '员工最少',
  'list.sort.-employees': '员工最多',
  'list.sort.by': '按{column}排序',
  'list.reset': '清除筛选',
  'list.more': '加载更多',
  'list.shown': '已显示 {n} 家企业',
  'list.shown.all': '共 {n} 家企业',
  'list.empty': '没有符合条件的企业。',
  'list.caption': '企业列表',
  'col.name': '企业名称',
  'col.uscc': '统一社会信用代码',
  'col.industry': '行业',
  'col.cluster': '产业集群',
  'col.stage': '产业链环节',
  'col.size': '规模',
  'col.founded': '成立日期',
  'col.employees': '员工人数',
  'col.status': '状态',

  'ent.title': '企业详情',
  'ent.edit': '编辑',
  'ent.notfound': '没有编号为 {id} 的企业。',
  'ent.section.basic': '基本信息',
  'ent.section.location': '地址与位置',
  'ent.section.contacts': '联系人',
  'ent.section.tags': '标签',
  'ent.section.record': '记录信息',
  'ent.contacts.none': '暂无联系人。',
  'ent.contacts.masked': '联系方式已部分隐藏，仅本集群书记、镇政府工作人员和企业本身可见。',
  'ent.tags.none': '暂无标签。',
  'ent.saved': '已保存。',
  'ent.nochange': '没有修改任何内容。',
  'ent.version': '版本',
  'ent.created': '登记时间',
  'ent.updated': '最近更新',
  'ent.id': '编号',
  'ent.status_reason': '状态说明',
  'ent.in_park.true': '园区内企业',
  'ent.in_park.false': '园区外合作企业',

  'field.uscc': '统一社会信用代码',
  'field.name_zh': '中文名称',
  'field.name_en': '英文名称',
  'field.industry': '行业代码（GB/T 4754-2017）',
  'field.industry.short': '行业',
  'field.cluster_id': '产业集群',
  'field.stage': '产业链环节',
  'field.size': '企业规模',
  'field.founded': '成立日期',
  'field.address': '地址',
  'field.lon': '经度',
  'field.lat': '纬度',
  'field.employees': '员工人数',
  'field.status': '经营状态',
  'field.in_park': '位于园区内',
  'field.tags': '标签',
  'field.contacts': '联系人',
  'field.contact.name': '姓名',
  'field.contact.role': '职务',
  'field.contact.phone': '电话',
  'field.contact.email': '电子邮箱',
  'field.uscc_override': '校验位不符时仍接受此代码（将记入审计日志）',

  'edit.title': '编辑企业信息',
  'edit.save': '保存',
  'edit.saving': '正在保存…',
  'edit.cancel': '取消',
  'edit.discard': '放弃未保存的修改？',
  'edit.hint.tags': '多个标签用逗号或顿号分隔。',
  'edit.hint.numbers': '留空表示未知。',
  'edit.hint.lonlat': '经纬度须同时填写或同时留空。',
  'edit.hint.enterprise': '企业联系人可修改地址、员工人数和联系人。',
  'edit.contact.add': '添加联系人',
  'edit.contact.remove': '删除此联系人',
  'edit.contact.n': '联系人 {n}',
  'edit.errors': '请更正以下标出的内容后再保存。',
  'edit.badnumber': '{field}：请输入数字。',
  'edit.baddate': '{field}：请输入完整的日期。',
  'edit.stale': '保存失败：在您编辑期间，其他人已修改了这条记录。',
  'edit.reload': '重新载入最新内容',
  'edit.reloaded': '已载入最新内容，请重新进行修改。',
  'edit.forbidden': '没有权限：{message}',
  'edit.none': '（未填写）',

  'stage.leading': '龙头企业',
  'stage.upstream': '上游',
  'stage.midstream': '中游',
  'stage.downstream': '下游',
  'stage.service': '配套服务',
  'size.micro': '微型',
  'size.small': '小型',
  'size.medium': '中型',
  'size.large': '大型',
  'status.active': '在营',
  'status.moved_out': '已迁出',
  'status.closed': '已关闭',

  'clusters.title': '产业集群',
  'clusters.intro': '张堰镇四个产业集群党总支，统筹协调园区企业。',
  'clusters.total': '四个集群共联系 {n} 家企业',
  'clusters.enterprises': '家企业',
  'clusters.share': '占全部企业的 {p}%',
  'clusters.leading': '龙头企业',
  'clusters.code': '代码',
  'clusters.view': '查看本集群企业',

  'bulletin.title': '公告',
  'bulletin.intro': '“党建之窗”：镇、街道的党建与发展动态。',
  'bulletin.empty': '暂无公告。',
  'bulletin.more': '展开全文',
  'bulletin.less': '收起',
  'bulletin.published': '发布日期',
  'bulletin.tags': '标签',
};

const en = {
  'app.name': 'Qunyan',
  'app.subtitle': 'Zhangyan Industrial Park Services',
  'app.title': 'Qunyan · Zhangyan Industrial Park Services',
  'app.skip': 'Skip to main content',
  'app.footer': 'Qunyan · Enterprise Service Office, Zhangyan Town People\'s Government',
  'lang.switch': '简体中文',
  'lang.switch.short': '中文',
  'lang.switch.label': '切换到简体中文',
  'nav.label': 'Main navigation',
  'nav.enterprises': 'Enterprises',
  'nav.clusters': 'Clusters',
  'nav.bulletin': 'Bulletin',
  'nav.signin': 'Sign in',
  'nav.signout': 'Sign out',
  'nav.user': 'Signed in as',
  'nav.breadcrumb': 'Breadcrumb',

  'role.admin': 'Administrator',
  'role.officer': 'Town officer',
  'role.secretary': 'Cluster secretary',
  'role.grid_worker': 'Grid worker',
  'role.handler': 'Department handler',
  'role.enterprise': 'Enterprise contact',

  'login.title': 'Sign in',
  'login.intro': 'Sign in with your work account.',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.busy': 'Signing in…',
  'login.required': 'Enter your username and password.',
  'login.public': 'Open to everyone:',
  'login.expired': 'Your session has ended. Please sign in again.',
  'login.signedout': 'You have signed out.',

  'common.loading': 'Loading…',
  'common.retry': 'Try again',
  'common.none': '—',
  'common.any': 'All',
  'common.yes': 'Yes',
  'common.no': 'No',
  'common.back': 'Back',
  'common.close': 'Close',
  'common.notfound': 'There is no such page.',
  'common.notfound.title': 'Page not found',
  'common.forbidden': 'You are not allowed to see this.',
  'error.network': 'Cannot reach the server. Check the connection and try again.',
  'error.generic': 'Something went wrong: {message}',
  'error.server': 'Server error ({status})',

  'list.title': 'Enterprises',
  'list.intro': 'Enterprises registered in the park. Search by name, address or USCC.',
  'list.search': 'Search enterprises',
  'list.search.placeholder': 'Name, address or USCC',
  'list.filters': 'Filters',
  'list.filter.cluster': 'Cluster',
  'list.filter.stage': 'Chain stage',
  'list.filter.size': 'Size',
  'list.filter.status': 'Status',
  'list.filter.tag': 'Tag',
  'list.filter.tag.placeholder': 'e.g. 专精特新',
  'list.filter.located': 'Location',
  'list.located.park': 'In the park',
  'list.located.outside': 'Partners outside the park',
  'list.located.all': 'All',
  'list.sort': 'Sort',
  'list.sort.id': 'Registration order',
  'list.sort.name': 'Name A–Z',
  'list.sort.-name': 'Name Z–A',
  'list.sort.founded': 'Oldest first',
  'list.sort.-founded': 'Newest first',
  'list.sort.employees': 'Fewest employees',
  'list.sort.-employees': 'Most employees',
  'list.sort.by': 'Sort by {column}',
  'list.reset': 'Clear filters',
  'list.more': 'Load more',
  'list.shown': '{n} enterprises shown',
  'list.shown.all': '{n} enterprises',
  'list.empty': 'No enterprise matches.',
  'list.caption': 'Enterprises',
  'col.name': 'Name',
  'col.uscc': 'USCC',
  'col.industry': 'Industry',
  'col.cluster': 'Cluster',
  'col.stage': 'Stage',
  'col.size': 'Size',
  'col.founded': 'Founded',
  'col.employees': 'Employees',
  'col.status': 'Status',

  'ent.title': 'Enterprise',
  'ent.edit': 'Edit',
  'ent.notfound': 'There is no enterprise with ID {id}.',
  'ent.section.basic': 'Registration',
  'ent.section.location': 'Address and location',
  'ent.section.contacts': 'Contacts',
  'ent.section.tags': 'Tags',
  'ent.section.record': 'Record',
  'ent.contacts.none': 'No contacts.',
  'ent.contacts.masked': 'Contact details are partly hidden; only the cluster\'s secretary, town officers and the enterprise itself see them.',
  'ent.tags.none': 'No tags.',
  'ent.saved': 'Saved.',
  'ent.nochange': 'Nothing was changed.',
  'ent.version': 'Version',
  'ent.created': 'Registered',
  'ent.updated': 'Last updated',
  'ent.id': 'ID',
  'ent.status_reason': 'Status note',
  'ent.in_park.true': 'In the park',
  'ent.in_park.false': 'Partner outside the park',

  'field.uscc': 'Unified social credit code (USCC)',
  'field.name_zh': 'Chinese name',
  'field.name_en': 'English name',
  'field.industry': 'Industry code (GB/T 4754-2017)',
  'field.industry.short': 'Industry',
  'field.cluster_id': 'Cluster',
  'field.stage': 'Chain stage',
  'field.size': 'Size',
  'field.founded': 'Founded',
  'field.address': 'Address',
  'field.lon': 'Longitude',
  'field.lat': 'Latitude',
  'field.employees': 'Employees',
  'field.status': 'Status',
  'field.in_park': 'Located in the park',
  'field.tags': 'Tags',
  'field.contacts': 'Contacts',
  'field.contact.name': 'Name',
  'field.contact.role': 'Role',
  'field.contact.phone': 'Phone',
  'field.contact.email': 'Email',
  'field.uscc_override': 'Accept this code even though its check character fails (audited)',

  'edit.title': 'Edit enterprise',
  'edit.save': 'Save',
  'edit.saving': 'Saving…',
  'edit.cancel': 'Cancel',
  'edit.discard': 'Discard your unsaved changes?',
  'edit.hint.tags': 'Separate tags with commas.',
  'edit.hint.numbers': 'Leave empty if unknown.',
  'edit.hint.lonlat': 'Give both longitude and latitude, or neither.',
  'edit.hint.enterprise': 'As the enterprise\'s contact you may change the address, employees and contacts.',
  'edit.contact.add': 'Add a contact',
  'edit.contact.remove': 'Remove this contact',
  'edit.contact.n': 'Contact {n}',
  'edit.errors': 'Please correct the fields marked below, then save again.',
  'edit.badnumber': '{field}: enter a number.',
  'edit.baddate': '{field}: enter a complete date.',
  'edit.stale': 'Not saved: someone else changed this record while you were editing it.',
  'edit.reload': 'Load the latest version',
  'edit.reloaded': 'The latest version is loaded; please make your change again.',
  'edit.forbidden': 'Not allowed: {message}',
  'edit.none': '(none)',

  'stage.leading': 'Leading',
  'stage.upstream': 'Upstream',
  'stage.midstream': 'Midstream',
  'stage.downstream': 'Downstream',
  'stage.service': 'Service',
  'size.micro': 'Micro',
  'size.small': 'Small',
  'size.medium': 'Medium',
  'size.large': 'Large',
  'status.active': 'Active',
  'status.moved_out': 'Moved out',
  'status.closed': 'Closed',

  'clusters.title': 'Industrial clusters',
  'clusters.intro': 'Zhangyan Town\'s four industrial cluster party branches coordinate the park\'s enterprises.',
  'clusters.total': 'The four clusters coordinate {n} enterprises',
  'clusters.enterprises': 'enterprises',
  'clusters.share': '{p}% of all enterprises',
  'clusters.leading': 'Leading enterprise',
  'clusters.code': 'Code',
  'clusters.view': 'Show its enterprises',

  'bulletin.title': 'Bulletin',
  'bulletin.intro': 'The Party Building Window: news of party building and development in the town and its streets.',
  'bulletin.empty': 'No news yet.',
  'bulletin.more': 'Read more',
  'bulletin.less': 'Show less',
  'bulletin.published': 'Published',
  'bulletin.tags': 'Tags',
};

const DICTS = { 'zh-CN': zh, en };

function initialLang() {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved && DICTS[saved]) return saved;
  } catch { /* storage may be disabled */ }
  return 'zh-CN';
}

let lang = initialLang();
const listeners = new Set();

export function getLang() { return lang; }
export function isZh() { return lang === 'zh-CN'; }

export function setLang(l) {
  if (!DICTS[l] || l === lang) return;
  lang = l;
  try { localStorage.setItem(STORAGE_KEY, l); } catch { /* ignore */ }
  document.documentElement.lang = l;
  for (const fn of listeners) fn(l);
}

export function toggleLang() { setLang(lang === 'zh-CN' ? 'en' : 'zh-CN'); }

export function onLangChange(fn) { listeners.add(fn); return () => listeners.delete(fn); }

export function t(key, vars) {
  let s = DICTS[lang][key];
  if (s === undefined) s = zh[key];
  if (s === undefined) return key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
  return s;
}

// A label for an enumerated value ('stage', 'leading'); the raw value
// when the dictionary does not know it, a dash when there is none.
export function label(kind, value) {
  if (value === null || value === undefined || value === '') return t('common.none');
  const key = `${kind}.${value}`;
  const s = t(key);
  return s === key ? String(value) : s;
}

// The name in the current language, falling back to the other one.
export function localName(obj, zhKey = 'name_zh', enKey = 'name_en') {
  if (!obj) return '';
  const a = isZh() ? obj[zhKey] : obj[enKey];
  const b = isZh() ? obj[enKey] : obj[zhKey];
  return a || b || '';
}

// The name in the other language, when it exists and differs.
export function otherName(obj) {
  if (!obj) return '';
  const primary = localName(obj);
  const other = isZh() ? obj.name_en : obj.name_zh;
  return other && other !== primary ? other : '';
}

export function formatNumber(n) {
  if (n === null || n === undefined) return t('common.none');
  return new Intl.NumberFormat(lang).format(n);
}

export function formatDate(iso) {
  if (!iso) return t('common.none');
  return iso;
}

export function formatDateTime(iso) {
  if (!iso) return t('common.none');
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(lang, {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
    hour12: false, timeZone: 'Asia/Shanghai',
  }).format(d);
}

document.documentElement.lang = lang;
