// Labels of the chain editor (chainedit.js) and of an enterprise's part
// in the chain (entchain.js), and the server's refusals of their writes
// told in the reader's language.
import { t, addLabels, localName, formatNumber } from './i18n.js';

addLabels({
  'ce.toggle': '编辑产业链',
  'ce.toggle.done': '完成编辑',
  'ce.title': '编辑产业链',
  'ce.intro': '新增节点、连接投入与产出。点击图中的节点可改名、停用或删除它，并移除它的连线。',
  'ce.add.title': '新增节点',
  'ce.field.code': '代码',
  'ce.field.code.hint': '小写字母、数字和下划线，集群内唯一；按英文名自动生成，可修改。',
  'ce.field.name_zh': '中文名称',
  'ce.field.name_en': '英文名称',
  'ce.field.kind': '类别',
  'ce.field.stage': '环节',
  'ce.add.submit': '添加节点',
  'ce.add.done': '已添加节点“{name}”。',
  'ce.link.title': '连接两个节点',
  'ce.link.from': '投入（上游节点）',
  'ce.link.to': '产出（下游节点）',
  'ce.link.choose': '请选择…',
  'ce.link.submit': '连接',
  'ce.link.pick': '在图中选取',
  'ce.link.pick.cancel': '取消选取',
  'ce.link.pick.from': '请在图中点击作为投入的节点（按 Esc 取消）。',
  'ce.link.pick.to': '已选投入“{from}”。请点击它投入的节点。',
  'ce.link.pick.ready': '已选“{from}”→“{to}”，请按“连接”。',
  'ce.link.done': '已连接“{from}”→“{to}”。',
  'ce.node.title': '编辑此节点',
  'ce.node.save': '保存修改',
  'ce.node.saved': '已保存节点“{name}”。',
  'ce.node.nochange': '没有需要保存的修改。',
  'ce.node.retire': '停用节点',
  'ce.node.reinstate': '恢复使用',
  'ce.node.retire.confirm': '停用节点“{name}”？停用后保留其历史记录，但不能再为它登记产品、需求、供货关系或招商线索，也不再计为缺口。',
  'ce.node.retired': '节点“{name}”已停用。',
  'ce.node.reinstated': '节点“{name}”已恢复使用。',
  'ce.node.delete': '删除节点',
  'ce.node.delete.confirm': '删除节点“{name}”及其所有连线？此操作不能撤销。',
  'ce.node.deleted': '已删除节点“{name}”。',
  'ce.node.connect': '从此节点连出…',
  'ce.node.inputs': '投入（{n}）',
  'ce.node.outputs': '产出（{n}）',
  'ce.node.noedges': '暂无。',
  'ce.edge.remove': '移除',
  'ce.edge.remove.label': '移除连线“{from}”→“{to}”',
  'ce.edge.remove.confirm': '移除连线“{from}”→“{to}”？',
  'ce.edge.removed': '已移除连线“{from}”→“{to}”。',
  'ce.panel.hint': '点击图中的节点可编辑它；或在上方新增节点、连接节点。',
  'ce.retired.badge': '已停用',
  'ce.legend.retired': '已停用（保留历史）',
  'ce.busy': '正在保存…',
  'ce.err.required': '请填写{field}。',
  'ce.err.too_long': '{field}最多 {n} 个字。',
  'ce.err.invalid_code': '代码只能使用小写字母、数字和下划线。',
  'ce.err.duplicate_node': '本集群已有代码为“{code}”的节点，请换一个代码。',
  'ce.err.invalid_enum': '请从列表中选择{field}。',
  'ce.err.number': '{field}须为 0 或正数。',
  'ce.err.node_retired': '该节点已停用，请选择在用的节点，或先恢复使用。',
  'ce.err.cycle': '这条连线会形成循环：{path}。产业链中投入须在产出之前。',
  'ce.err.self_edge': '一个节点不能作为自身的投入。',
  'ce.err.in_use': '“{name}”不能删除：{uses}。可以改为停用，保留这些历史记录。',
  'ce.err.in_use.products': '{n} 家企业生产',
  'ce.err.in_use.needs': '{n} 家企业采购',
  'ce.err.in_use.links': '{n} 条供货关系',
  'ce.err.in_use.leads': '{n} 条招商线索',
  'ce.err.in_use.contacts': '{n} 次对接记录',
  'ce.err.date': '{field}须为有效日期。',
  'ce.err.before_since': '结束日期不能早于开始日期。',
  'ce.err.self_link': '企业不能与自身建立供货关系。',
  'ce.err.unknown_enterprise': '找不到所选企业。',
  'ce.err.unknown_node': '找不到所选节点。',
  'ce.err.forbidden': '您没有权限进行此操作。',
  'ce.err.changed': '产业链刚被他人修改，请重试。',

  'ec.title': '产业链上的位置',
  'ec.intro': '企业生产和采购的产业链节点，以及与其他企业的供货关系。',
  'ec.products': '生产（{n}）',
  'ec.needs': '采购（{n}）',
  'ec.links': '供货关系（{n}）',
  'ec.none': '暂无。',
  'ec.capacity': '产能 {v}',
  'ec.need': '年需求 {v}',
  'ec.change': '修改',
  'ec.remove': '移除',
  'ec.cancel': '取消',
  'ec.save': '保存',
  'ec.change.label': '修改“{node}”',
  'ec.remove.label': '移除“{node}”',
  'ec.product.add': '添加生产的产品',
  'ec.need.add': '添加采购的需求',
  'ec.field.node': '产业链节点',
  'ec.field.capacity': '年产能（万元/年）',
  'ec.field.annual_need': '年需求（万元/年）',
  'ec.field.annual_value': '年供货金额（万元/年）',
  'ec.unit.hint': '单位为万元/年，例如 1200 表示每年 1,200 万元。',
  'ec.unit.preview': '即 {v}',
  'ec.product.remove.confirm': '不再记录“{name}”生产“{node}”？',
  'ec.need.remove.confirm': '不再记录“{name}”采购“{node}”？',
  'ec.product.saved': '已记录生产“{node}”，产能 {v}。',
  'ec.need.saved': '已记录采购“{node}”，年需求 {v}。',
  'ec.removed': '已移除“{node}”。',
  'ec.nochoices': '本企业尚未归入产业集群，无可选节点。',
  'ec.link.sells': '供货给',
  'ec.link.buys': '采购自',
  'ec.link.elsewhere': '辖区外的企业',
  'ec.link.since': '自 {since} 起',
  'ec.link.span': '{since} 至 {until}',
  'ec.link.value': '每年 {v}',
  'ec.link.record': '记录供货关系',
  'ec.link.title': '记录供货关系',
  'ec.field.direction': '关系',
  'ec.direction.buys': '本企业采购自对方',
  'ec.direction.sells': '本企业供货给对方',
  'ec.field.partner': '对方企业',
  'ec.partner.search': '输入企业名称查找',
  'ec.partner.searching': '正在查找…',
  'ec.partner.none': '没有找到企业。',
  'ec.partner.pick': '选择',
  'ec.partner.change': '重新选择',
  'ec.partner.outside': '园外',
  'ec.partner.recommended': '从推荐的合作伙伴中选择',
  'ec.partner.norec': '暂无推荐的合作伙伴。',
  'ec.field.since': '开始日期',
  'ec.field.until': '结束日期（可选）',
  'ec.field.source': '来源',
  'ec.source.declared': '企业申报',
  'ec.source.visit': '走访获知',
  'ec.source.inferred': '系统推断',
  'ec.link.saved': '已记录供货关系。',
  'ec.truncated': '仅列出最近的 500 条供货关系。',
}, {
  'ce.toggle': 'Edit chain',
  'ce.toggle.done': 'Done editing',
  'ce.title': 'Edit the chain',
  'ce.intro': 'Add nodes and connect inputs to what they go into. Click a node in the map to rename, retire or delete it and to remove its edges.',
  'ce.add.title': 'Add a node',
  'ce.field.code': 'Code',
  'ce.field.code.hint': 'Lower-case letters, digits and _, unique in the cluster; made from the English name, and yours to change.',
  'ce.field.name_zh': 'Chinese name',
  'ce.field.name_en': 'English name',
  'ce.field.kind': 'Kind',
  'ce.field.stage': 'Stage',
  'ce.add.submit': 'Add the node',
  'ce.add.done': 'Node “{name}” added.',
  'ce.link.title': 'Connect two nodes',
  'ce.link.from': 'Input (upstream node)',
  'ce.link.to': 'Goes into (downstream node)',
  'ce.link.choose': 'Choose…',
  'ce.link.submit': 'Connect',
  'ce.link.pick': 'Pick on the map',
  'ce.link.pick.cancel': 'Stop picking',
  'ce.link.pick.from': 'Click the input node in the map (Esc to stop).',
  'ce.link.pick.to': 'Input: “{from}”. Now click the node it goes into.',
  'ce.link.pick.ready': '“{from}” → “{to}” chosen: press Connect.',
  'ce.link.done': 'Connected “{from}” → “{to}”.',
  'ce.node.title': 'Edit this node',
  'ce.node.save': 'Save changes',
  'ce.node.saved': 'Node “{name}” saved.',
  'ce.node.nochange': 'Nothing to save.',
  'ce.node.retire': 'Retire the node',
  'ce.node.reinstate': 'Put back in use',
  'ce.node.retire.confirm': 'Retire “{name}”? Its history is kept, but no product, need, supply link or lead may name it any more, and it no longer counts as a gap.',
  'ce.node.retired': 'Node “{name}” retired.',
  'ce.node.reinstated': 'Node “{name}” is in use again.',
  'ce.node.delete': 'Delete the node',
  'ce.node.delete.confirm': 'Delete “{name}” and all its edges? This cannot be undone.',
  'ce.node.deleted': 'Node “{name}” deleted.',
  'ce.node.connect': 'Connect from this node…',
  'ce.node.inputs': 'Inputs ({n})',
  'ce.node.outputs': 'Goes into ({n})',
  'ce.node.noedges': 'None.',
  'ce.edge.remove': 'Remove',
  'ce.edge.remove.label': 'Remove the edge “{from}” → “{to}”',
  'ce.edge.remove.confirm': 'Remove the edge “{from}” → “{to}”?',
  'ce.edge.removed': 'Edge “{from}” → “{to}” removed.',
  'ce.panel.hint': 'Click a node in the map to edit it, or add and connect nodes above.',
  'ce.retired.badge': 'Retired',
  'ce.legend.retired': 'Retired (history kept)',
  'ce.busy': 'Saving…',
  'ce.err.required': 'Fill in the {field}.',
  'ce.err.too_long': 'The {field} takes at most {n} {n|character|characters}.',
  'ce.err.invalid_code': 'A code uses lower-case letters, digits and _ only.',
  'ce.err.duplicate_node': 'The cluster already has a node with the code “{code}”: choose another.',
  'ce.err.invalid_enum': 'Choose the {field} from the list.',
  'ce.err.number': 'The {field} must be 0 or more.',
  'ce.err.node_retired': 'That node is retired: choose one in use, or put it back in use first.',
  'ce.err.cycle': 'This edge would make a loop: {path}. In a chain, inputs come before what they go into.',
  'ce.err.self_edge': 'A node cannot be an input of itself.',
  'ce.err.in_use': '“{name}” cannot be deleted: {uses}. Retire it instead, which keeps that history.',
  'ce.err.in_use.products': '{n} {n|enterprise makes|enterprises make} it',
  'ce.err.in_use.needs': '{n} {n|enterprise buys|enterprises buy} it',
  'ce.err.in_use.links': '{n} supply {n|link names|links name} it',
  'ce.err.in_use.leads': '{n} {n|lead aims|leads aim} at it',
  'ce.err.in_use.contacts': '{n} {n|introduction names|introductions name} it',
  'ce.err.date': 'The {field} must be a real date.',
  'ce.err.before_since': 'The end date cannot be before the start date.',
  'ce.err.self_link': 'An enterprise cannot supply itself.',
  'ce.err.unknown_enterprise': 'The chosen enterprise was not found.',
  'ce.err.unknown_node': 'The chosen node was not found.',
  'ce.err.forbidden': 'You may not do this.',
  'ce.err.changed': 'Someone changed the chain just now: try again.',

  'ec.title': 'Place in the industrial chain',
  'ec.intro': 'The chain nodes the enterprise makes and buys, and its supply links with other enterprises.',
  'ec.products': 'Makes ({n})',
  'ec.needs': 'Buys ({n})',
  'ec.links': 'Supply links ({n})',
  'ec.none': 'None.',
  'ec.capacity': 'capacity {v}',
  'ec.need': 'need {v}',
  'ec.change': 'Change',
  'ec.remove': 'Remove',
  'ec.cancel': 'Cancel',
  'ec.save': 'Save',
  'ec.change.label': 'Change “{node}”',
  'ec.remove.label': 'Remove “{node}”',
  'ec.product.add': 'Add a product it makes',
  'ec.need.add': 'Add something it buys',
  'ec.field.node': 'Chain node',
  'ec.field.capacity': 'Annual capacity (10,000 CNY a year)',
  'ec.field.annual_need': 'Annual need (10,000 CNY a year)',
  'ec.field.annual_value': 'Annual value (10,000 CNY a year)',
  'ec.unit.hint': 'In units of 10,000 CNY a year: 1200 means CNY 12 million a year.',
  'ec.unit.preview': 'That is {v}',
  'ec.product.remove.confirm': 'Stop recording that {name} makes “{node}”?',
  'ec.need.remove.confirm': 'Stop recording that {name} buys “{node}”?',
  'ec.product.saved': 'Recorded: makes “{node}”, capacity {v}.',
  'ec.need.saved': 'Recorded: buys “{node}”, need {v}.',
  'ec.removed': '“{node}” removed.',
  'ec.nochoices': 'The enterprise belongs to no cluster, so there are no nodes to choose from.',
  'ec.link.sells': 'Supplies',
  'ec.link.buys': 'Buys from',
  'ec.link.elsewhere': 'an enterprise outside your places',
  'ec.link.since': 'since {since}',
  'ec.link.span': '{since} to {until}',
  'ec.link.value': '{v}',
  'ec.link.record': 'Record a supply link',
  'ec.link.title': 'Record a supply link',
  'ec.field.direction': 'Link',
  'ec.direction.buys': 'Buys from the other',
  'ec.direction.sells': 'Supplies the other',
  'ec.field.partner': 'Other enterprise',
  'ec.partner.search': 'Type a name to find it',
  'ec.partner.searching': 'Searching…',
  'ec.partner.none': 'No enterprise found.',
  'ec.partner.pick': 'Choose',
  'ec.partner.change': 'Choose another',
  'ec.partner.outside': 'Outside',
  'ec.partner.recommended': 'Choose among the recommended partners',
  'ec.partner.norec': 'No recommended partners yet.',
  'ec.field.since': 'Since',
  'ec.field.until': 'Until (optional)',
  'ec.field.source': 'Source',
  'ec.source.declared': 'Declared by the enterprise',
  'ec.source.visit': 'Learnt on a visit',
  'ec.source.inferred': 'Inferred',
  'ec.link.saved': 'Supply link recorded.',
  'ec.truncated': 'Only the latest 500 supply links are listed.',
});

const IN_USE = [['products', /(\d+) enterprises? making it/], ['needs', /(\d+) enterprises? buying it/],
  ['links', /(\d+) supply links?/], ['leads', /(\d+) leads?/], ['contacts', /(\d+) recorded introductions?/]];

// A refusal of the server in the reader's language, for the codes the
// chain's forms meet; any other keeps the server's own words.
//   fe: {field, code, message}; fieldLabel(field) -> the form's label;
//   nodeName(code) -> a node's name from its code (for a cycle);
//   subject: the node or enterprise the request was about (a name).
export function explain(fe, { fieldLabel = (f) => f, nodeName = (c) => c, subject = '', value = '' } = {}) {
  const field = fieldLabel(fe.field || '');
  const msg = fe.message || '';
  switch (fe.code) {
    case 'required': return fe.field ? t('ce.err.required', { field }) : msg;
    case 'too_long': {
      const m = /at most (\d+)/.exec(msg);
      return m ? t('ce.err.too_long', { field, n: formatNumber(Number(m[1])) }) : msg;
    }
    case 'invalid_code': return t('ce.err.invalid_code');
    case 'duplicate_node': return t('ce.err.duplicate_node', { code: value });
    case 'invalid_enum': return t('ce.err.invalid_enum', { field });
    case 'wrong_type': case 'out_of_range': return t('ce.err.number', { field });
    case 'node_retired': return t('ce.err.node_retired');
    case 'self_edge': return t('ce.err.self_edge');
    case 'would_make_cycle': {
      const m = /cycle: (.*)$/.exec(msg);
      const path = m ? m[1].split(' → ').map((c) => nodeName(c.trim())).join(' → ') : '';
      return t('ce.err.cycle', { path });
    }
    case 'node_in_use': {
      const uses = IN_USE.map(([k, re]) => {
        const m = re.exec(msg);
        return m ? t(`ce.err.in_use.${k}`, { n: formatNumber(Number(m[1])) }) : null;
      }).filter(Boolean);
      return t('ce.err.in_use', { name: subject, uses: uses.join(t('ce.err.in_use.sep')) });
    }
    case 'invalid_date': return t('ce.err.date', { field });
    case 'before_since': return t('ce.err.before_since');
    case 'self_link': return t('ce.err.self_link');
    case 'unknown_enterprise': return t('ce.err.unknown_enterprise');
    case 'unknown_node': case 'unknown_reference': return t('ce.err.unknown_node');
    case 'forbidden': return t('ce.err.forbidden');
    case 'chain_changed': return t('ce.err.changed');
    default: return msg;
  }
}

addLabels({ 'ce.err.in_use.sep': '、' }, { 'ce.err.in_use.sep': ', ' });

// The errors of an ApiError as [{field, message}], each explained.
export function explainAll(err, opts) {
  const list = err.errors && err.errors.length ? err.errors
    : [{ field: err.field, code: err.code, message: err.message }];
  return list.map((fe) => ({ field: fe.field || null, message: explain(fe, opts) }));
}

// A node's name in the reader's language.
export const nodeLabel = (n) => (n ? localName(n) || `#${n.id}` : '');
