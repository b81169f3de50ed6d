// @ts-check
/**
 * Labels of enum values that the main dictionary (i18n.js) did not name: region levels, user
 * kinds, assignment roles, the steps of a notice's clock, a hazard's review deadline. Part of
 * the dictionary; tests/unit/i18n-vocabulary.test.ts walks every enum against it.
 */

export const zh = {
  'next.review_overdue': '复查期限',
  'notices.next.sign_escalation': '签收期限',
  'notices.next.overdue': '整改期限',
  'notices.next.instrument': '升级文书',
  'notices.next.decision': '提请处置决定',
  'regionLevel.city': '市',
  'regionLevel.county': '区县',
  'regionLevel.township': '乡镇（街道）',
  'regionLevel.grid': '网格',
  'userKind.person': '个人账号',
  'userKind.service': '系统接口账号',
  'assignmentRole.supervisor': '责任监管人员',
  'assignmentRole.enterprise_contact': '企业联系人',
};

export const en = {
  'next.review_overdue': 'Review due',
  'notices.next.sign_escalation': 'Sign-for deadline',
  'notices.next.overdue': 'Deadline',
  'notices.next.instrument': 'Next instrument',
  'notices.next.decision': 'Decision to take',
  'regionLevel.city': 'City',
  'regionLevel.county': 'County',
  'regionLevel.township': 'Township',
  'regionLevel.grid': 'Grid',
  'userKind.person': 'Person',
  'userKind.service': 'Service account',
  'assignmentRole.supervisor': 'Responsible supervisor',
  'assignmentRole.enterprise_contact': 'Enterprise contact',
};
