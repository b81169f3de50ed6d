/** The words the city seed names its places, people, enterprises and hazards with. */

export const CITY_NAMES = ['江州市', '临川市', '云州市', '湖阳市', '泰和市', '清源市', '永宁市', '平江市', '安澜市'];

/** County-level names (district, county, county-level city) and the short name their bureau signs with. */
export const COUNTY_NAMES: Array<[name: string, agency: string]> = [
  ['江城区', '江城应急'], ['湖滨区', '湖滨应急'], ['东湖区', '东湖应急'], ['西山区', '西山应急'], ['南屏区', '南屏应急'],
  ['北塘区', '北塘应急'], ['高新区', '高新应急'], ['经开区', '经开应急'], ['临港区', '临港应急'], ['青山县', '青山应急'],
  ['白河县', '白河应急'], ['石桥县', '石桥应急'], ['柳林县', '柳林应急'], ['松岭县', '松岭应急'], ['梅溪县', '梅溪应急'],
  ['枫桥县', '枫桥应急'], ['云台县', '云台应急'], ['清河县', '清河应急'], ['龙泉市', '龙泉应急'], ['桃源县', '桃源应急'],
  ['金沙县', '金沙应急'], ['凤凰区', '凤凰应急'], ['长乐县', '长乐应急'], ['宁安县', '宁安应急'],
];

const TOWNSHIP_STEMS = ['城关', '新华', '和平', '红旗', '东风', '胜利', '前进', '长安', '太平', '永安', '兴隆', '双河', '三里', '黄土', '白沙', '石门', '杨柳', '桃花', '青龙', '金山', '银湖', '马坊', '李庄', '王集', '张店', '陈家', '高桥', '柏树', '望江', '临溪'];
const TOWNSHIP_KINDS = ['镇', '街道', '镇', '乡', '街道', '镇'];

/** The nth township's name (unique within a county, however many there are). */
export function townshipName(n: number): string {
  const stem = TOWNSHIP_STEMS[n % TOWNSHIP_STEMS.length]!;
  const round = Math.floor(n / TOWNSHIP_STEMS.length);
  return `${stem}${round ? ['东', '西', '南', '北', '新'][(round - 1) % 5] : ''}${TOWNSHIP_KINDS[n % TOWNSHIP_KINDS.length]}`;
}

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉建国志文斌宇浩凯健俊帆帅旭宁龙林欣雪梅琳晨阳波峰海涛亮';

export function personName(r: { int(n: number): number }): string {
  const given = GIVEN[r.int(GIVEN.length)]! + (r.int(3) ? GIVEN[r.int(GIVEN.length)]! : '');
  return SURNAMES[r.int(SURNAMES.length)]! + given;
}

const FIRM_STEMS = ['宏达', '恒信', '鑫源', '华泰', '永盛', '瑞丰', '金鼎', '中联', '天成', '东方', '新兴', '广源', '盛世', '博远', '汇通', '隆基', '嘉禾', '润华', '安泰', '富民', '兴业', '长城', '海纳', '晨光', '锦程', '佳德', '众合', '通达', '正大', '华宇'];

export interface Industry {
  name: string;
  /** Share of the city's enterprises. */
  share: number;
  /** Hazards found per enterprise, relative to the city's average. */
  hazardRate: number;
  /** Share of its hazards that are major. */
  majorShare: number;
  firmKinds: string[];
  /** What its findings concern, its commoner ones first (a category is an area and an aspect of it). */
  areas: string[];
}

/**
 * What inspectors find at any enterprise, by the usual split of findings into basic management
 * (基础管理类) and the site (现场管理类): after every industry's own areas (its commoner findings).
 */
const COMMON_AREAS = [
  '消防安全', '电气安全', '特种设备', '有限空间', '应急管理', '安全管理', '资质证照', '安全管理机构及人员', '安全规章制度', '安全教育培训',
  '安全投入', '相关方管理', '个体防护装备', '职业健康', '隐患排查治理', '生产设备设施', '作业场所环境', '从业人员操作行为', '安全警示标志', '危险作业审批',
];

const withCommon = (own: string[]): string[] => [...own, ...COMMON_AREAS.filter((c) => !own.includes(c))];

export const INDUSTRIES: Industry[] = [
  { name: '危险化学品', share: 0.06, hazardRate: 1.8, majorShare: 0.07, firmKinds: ['化工有限公司', '化学品仓储有限公司', '石化有限公司'], areas: withCommon(['储存设施', '装卸作业', '工艺安全', '特殊作业', '可燃有毒气体检测', '重大危险源监控', '安全仪表系统', '防雷防静电', '压力管道', '变更管理']) },
  { name: '工贸-冶金', share: 0.04, hazardRate: 1.5, majorShare: 0.05, firmKinds: ['钢铁有限公司', '铸造有限公司', '金属制品有限公司'], areas: withCommon(['高温熔融金属', '煤气安全', '起重设备', '有限空间', '炉窑设备', '能源介质管道', '吊运通道', '冷却水系统']) },
  { name: '工贸-粉尘涉爆', share: 0.08, hazardRate: 1.3, majorShare: 0.05, firmKinds: ['木业有限公司', '铝制品有限公司', '饲料有限公司'], areas: withCommon(['除尘系统', '粉尘清扫', '防爆电气', '点火源管控', '泄爆隔爆', '粉尘浓度监测', '火花探测']) },
  { name: '工贸-涉氨制冷', share: 0.03, hazardRate: 1.2, majorShare: 0.05, firmKinds: ['冷链物流有限公司', '食品有限公司', '冷冻厂'], areas: withCommon(['液氨储存', '氨气检测报警', '制冷设备', '应急处置', '泄漏喷淋', '压力容器', '安全阀']) },
  { name: '烟花爆竹', share: 0.02, hazardRate: 1.2, majorShare: 0.06, firmKinds: ['烟花爆竹批发有限公司', '烟花爆竹经营部'], areas: withCommon(['药物储存', '生产工房', '防雷防静电', '运输装卸', '定员定量', '安全距离', '产品流向登记']) },
  { name: '非煤矿山', share: 0.02, hazardRate: 1.6, majorShare: 0.08, firmKinds: ['矿业有限公司', '石料厂', '采石场'], areas: withCommon(['边坡稳定', '爆破作业', '提升运输', '通风防尘', '排水防洪', '尾矿库', '采空区', '供电系统']) },
  { name: '建筑施工', share: 0.12, hazardRate: 1.1, majorShare: 0.03, firmKinds: ['建设工程有限公司', '建筑安装有限公司', '市政工程有限公司'], areas: withCommon(['高处作业', '脚手架', '起重机械', '基坑支护', '临时用电', '模板支撑', '施工机具', '洞口临边']) },
  { name: '交通运输', share: 0.08, hazardRate: 0.8, majorShare: 0.02, firmKinds: ['运输有限公司', '物流有限公司', '客运有限公司'], areas: withCommon(['车辆技术状况', '驾驶员管理', '危货运输', '场站安全', '动态监控', '车辆维修', '装载超限']) },
  { name: '人员密集场所', share: 0.2, hazardRate: 0.8, majorShare: 0.01, firmKinds: ['商贸有限公司', '酒店管理有限公司', '商业广场', '农贸市场'], areas: withCommon(['疏散通道', '消防设施', '电气线路', '燃气安全', '应急照明', '装修材料', '电梯', '厨房排油烟']) },
  { name: '其他', share: 0.35, hazardRate: 0.8, majorShare: 0.02, firmKinds: ['机械制造有限公司', '电子科技有限公司', '纺织有限公司', '包装材料有限公司'], areas: withCommon(['消防安全', '电气安全', '特种设备', '有限空间', '机械防护', '冲压设备', '叉车作业', '危险化学品使用']) },
];

export function firmName(r: { int(n: number): number }, place: string, industry: Industry): string {
  const stem = FIRM_STEMS[r.int(FIRM_STEMS.length)]!;
  return `${place}${stem}${industry.firmKinds[r.int(industry.firmKinds.length)]!}`;
}

/** The aspects of an area a finding concerns, by how often, with what is found wrong in each. */
const ASPECTS: Array<{ aspect: string; weight: number; defects: string[] }> = [
  { aspect: '设施设备', weight: 3, defects: ['设施设备缺陷', '防护装置失效', '应急器材配备不足'] },
  { aspect: '作业行为', weight: 2, defects: ['现场管理不规范', '违章作业'] },
  { aspect: '管理制度', weight: 2, defects: ['管理制度不落实', '隐患自查流于形式'] },
  { aspect: '检测检验', weight: 1, defects: ['检测检验过期'] },
  { aspect: '教育培训', weight: 1, defects: ['作业人员培训不到位'] },
  { aspect: '台账记录', weight: 1, defects: ['台账记录缺失'] },
  { aspect: '警示标识', weight: 1, defects: ['警示标识缺失'] },
];

/**
 * An industry's hazard categories by weight: each of its areas with each aspect (消防安全/设施设备),
 * as finely as a bureau's checklist sorts findings; earlier areas a little commoner.
 */
export function categoriesOf(industry: Industry): Array<readonly [string, number]> {
  return industry.areas.flatMap((area, k) => ASPECTS.map((a) => [`${area}/${a.aspect}`, a.weight / (k + 4)] as const));
}

export function hazardTitle(r: { int(n: number): number }, category: string): string {
  const [area, aspect] = category.split('/');
  const defects = ASPECTS.find((a) => a.aspect === aspect)!.defects;
  return `${area}：${defects[r.int(defects.length)]!}`;
}

export const LEGAL_BASES = [
  '《中华人民共和国安全生产法》第四十一条',
  '《中华人民共和国安全生产法》第六十五条',
  '《安全生产事故隐患排查治理暂行规定》第十条',
  '《中华人民共和国消防法》第十六条',
];

export const MEASURES = [
  '立即整改，整改完成后上传整改前后照片申请复查',
  '限期完成整改，落实整改责任人和资金，整改期间加强现场监护',
  '停止相关作业，完成整改并经复查合格后方可恢复',
];

export const EXTENSION_REASONS = ['整改所需设备需向厂家定制，到货周期较长', '整改涉及停产检修，需安排在生产淡季', '需委托有资质的单位设计施工', '资金审批流程尚未完成'];
export const REJECTION_REASONS = ['整改不彻底，现场仍存在同类问题', '整改证明材料不全，需补充整改后照片', '整改措施与指令要求不符'];
export const VOID_REASONS: Record<'misreport' | 'exempt', string[]> = {
  misreport: ['复核发现不属于隐患，系登记错误', '重复登记'],
  exempt: ['企业已依法关闭', '相关设施已拆除停用'],
};
