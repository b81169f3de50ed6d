/**
 * Types the pages' JSDoc names: what h() accepts, what a page returns, and the shapes of the API
 * answers the pages read. Checked with the pages by `npm run typecheck` (web/tsconfig.json).
 */

/** A child h() appends: nodes, text, numbers; null/undefined/false/'' are left out; arrays are flattened. */
export type Child = Node | string | number | boolean | null | undefined | Child[];

/** An event whose target is the control the listener is on (an <input>, <select>, <form>…). */
export type ControlEvent<E extends Event = Event> = E & { target: HTMLInputElement & HTMLSelectElement & HTMLTextAreaElement; currentTarget: HTMLElement };

/** The props h() accepts: class, on<Event> listeners, form-control properties and attributes. */
export interface Props {
  class?: string | Array<string | null | undefined | false> | null;
  /** Listeners are on buttons and links: currentTarget is the control clicked. */
  onClick?: (e: MouseEvent & { currentTarget: HTMLButtonElement }) => unknown;
  onSubmit?: (e: SubmitEvent) => unknown;
  onChange?: (e: ControlEvent) => unknown;
  onInput?: (e: ControlEvent) => unknown;
  onKeydown?: (e: KeyboardEvent) => unknown;
  onToggle?: (e: Event) => unknown;
  [name: string]: unknown;
}

/** What the router passes to a page. */
export interface PageContext {
  params: Record<string, string>;
  query: URLSearchParams;
  navigate: Navigate;
  flash: (message: string) => void;
  flashed: string | null;
}

export type Navigate = (hash: string, options?: { focus?: string | null }) => void;

/** What a page gives back to the router: its title and its content. */
export interface PageResult {
  title: string;
  node: HTMLElement;
}

export type Page = (ctx: PageContext) => Promise<PageResult>;

/** A field error of a problem+json answer. */
export interface FieldError {
  field: string;
  message: string;
  code?: string;
  file?: string;
  limit?: { name: string; value: number };
}

/** A problem shown to the reader: an ApiProblem, or one found before sending. */
export interface ProblemLike {
  status: number;
  code?: string;
  title?: string;
  detail?: string;
  post?: string;
  fromServer?: boolean;
  errors?: FieldError[];
}

/** A labelled form field built by ui.field(). */
export interface Field<C extends HTMLElement = HTMLElement> {
  wrap: HTMLElement;
  control: C;
  error: HTMLElement;
  hintId: string | null;
}

/** The attributes a field's control is built with (id, aria-describedby, required). */
export type ControlAttrs = {
  id: string;
  'aria-describedby': string | undefined;
  required: true | undefined;
};

/** One page of a cursor-paged list. */
export interface ListPage<T> {
  items: T[];
  total: number;
  /** The total is a lower bound (counting stopped there). */
  totalAtLeast?: boolean;
  /** Counted, or read from the leaders' kept figures (hazard and notice lists). */
  totalFrom?: 'count' | 'figures';
  /** The moment the total describes when it was not counted with this page. */
  totalAsOf?: string | null;
  nextCursor?: string | null;
}

declare global {
  interface Window {
    /** ECharts, once /vendor/echarts.min.js has loaded (dashboard-charts.js). */
    echarts?: typeof import('echarts');
  }
}

/** A value as it arrives in JSON: instants are ISO strings. */
export type AsJson<T> = T extends Date
  ? string
  : T extends ReadonlyArray<infer U>
    ? AsJson<U>[]
    : T extends object
      ? { [K in keyof T]: AsJson<T[K]> }
      : T;

type HazardJsonModule = typeof import('../api/hazard-json');
type HazardDetail = Awaited<ReturnType<ReturnType<typeof import('../api/hazard-reader').hazardReader>['detail']>>;
/** One hazard of a list page, exactly as api/hazard-json.ts (hazardListJson) answers it. */
export type HazardListItem = AsJson<ReturnType<HazardJsonModule['hazardListJson']>>;
/**
 * A hazard as GET /api/hazards/:id answers it (api/hazard-reader.ts detail: the record, its
 * timeline and notifications, the display names of the people it names). Derived from the code
 * that writes the answer, so the pages cannot read a field the API does not send.
 */
export type Hazard = AsJson<HazardDetail>;
type ReviewPackSchemas = typeof import('../api/schemas/review-pack');
/** A review pack (双月督办会材料) as GET /api/review-packs/:id answers it: the API's own schema, which the route parses the stored content with. */
export type ReviewPack = import('zod').output<ReviewPackSchemas['packSchema']>;
/** A bulk urge begun (POST /api/urges) and how far it has got (GET /api/bulk-urges/:id). */
export type BulkUrgeBegun = import('zod').output<typeof import('../api/routes/urges').bulkAccepted>;
export type BulkUrgeProgress = import('zod').output<typeof import('../api/routes/urges').bulkProgress>;
/** A page of review packs (GET /api/review-packs). */
export type ReviewPackPage = import('zod').output<ReviewPackSchemas['packPageSchema']>;
type FigureReader = import('../db/figures/answers').FigureReader;
/** The answers of GET /api/figures/<what> (api/routes/figures.ts), as db/figures/answers.ts computes them. */
export type Figures = { [K in 'overview' | 'ageing' | 'breakdown' | 'ranking' | 'trend' | 'notices']: AsJson<Awaited<ReturnType<FigureReader[K]>>> };
/** The answers of GET /api/figures/<what> by the path's name (the ranking is at /api/figures/enterprises). */
export type FigureAnswers = Omit<Figures, 'ranking'> & { enterprises: Figures['ranking'] };
/** One item of the inbox (GET /api/inbox), as api/routes/inbox.ts answers it. */
export type InboxItem = AsJson<ReturnType<typeof import('../api/routes/inbox').deliveryJson>>;
/** The bell's count (GET /api/inbox/unread-count). */
export type UnreadCount = AsJson<ReturnType<typeof import('../api/routes/inbox').unreadCountJson>>;
/** Marking every delivery read (POST /api/inbox/read-all). */
export type ReadAll = AsJson<ReturnType<typeof import('../api/routes/inbox').readAllJson>>;
/** One event of a hazard's timeline. */
export type HazardEvent = Hazard['timeline'][number];
type NoticeDetail = Awaited<ReturnType<ReturnType<typeof import('../api/notice-reader').noticeReader>['detail']>>;
/** One notice of a list page (GET /api/notices), exactly as api/notice-json.ts (noticeJsonFor) answers it. */
export type NoticeListItem = AsJson<ReturnType<typeof import('../api/notice-json').noticeJsonFor>>;
/**
 * A supervision notice as GET /api/notices/:id (and each command on it) answers: api/notice-reader.ts
 * detail, the list item with its hazards, instruments, decisions, timeline, notifications and people.
 */
export type Notice = AsJson<NoticeDetail>;
/** One decision for people on a notice (约谈, 行政处罚, 停产整顿, 移送司法). */
export type NoticeDecision = Notice['decisions'][number];
type SuspensionDetail = Awaited<ReturnType<ReturnType<typeof import('../api/suspension-reader').suspensionReader>['detail']>>;
/** One suspension of a list page (GET /api/suspensions), exactly as api/suspension-json.ts answers it. */
export type SuspensionListItem = AsJson<ReturnType<typeof import('../api/suspension-json').suspensionJson>>;
/** A suspension (停产整顿) as GET /api/suspensions/:id (and each command on it) answers: api/suspension-reader.ts detail. */
export type Suspension = AsJson<SuspensionDetail>;
/** One event of a notice's or a suspension's timeline. */
export type CaseEvent = Notice['timeline'][number] | Suspension['timeline'][number];

type CampaignRoutes = typeof import('../api/routes/campaigns');
/** A campaign (专项行动) as api/routes/campaigns.ts answers it. */
export type Campaign = AsJson<ReturnType<CampaignRoutes['campaignJson']>>;
/** The campaigns list (GET /api/campaigns): the campaigns, and `people` naming who defined each. */
export type CampaignList = AsJson<Awaited<ReturnType<CampaignRoutes['campaignListJson']>>>;
/** A campaign's burn-down (GET /api/campaigns/:id/burndown). */
export type CampaignBurndown = AsJson<ReturnType<CampaignRoutes['campaignBurndownJson']>>;
/** The counts of one day (or a breakdown row) of a burn-down, by cohort and measure. */
export type CampaignFigures = CampaignBurndown['breakdown'][number]['figures'];

type DirectoryRoutes = typeof import('../api/routes/directory');
/** A region as the directory answers it (GET /api/regions). */
export type Region = AsJson<ReturnType<DirectoryRoutes['regionJson']>>;
/** An enterprise as the directory answers it (GET /api/enterprises). */
export type Enterprise = AsJson<ReturnType<DirectoryRoutes['enterpriseJson']>>;
/** An enterprise as PATCH /api/enterprises/:id answers it (the record as stored). */
export type EnterpriseChanged = AsJson<ReturnType<typeof import('../api/routes/directory-changes').changedEnterpriseJson>>;
/** A user as admins see one (created, changed): never the password hash. */
export type User = AsJson<ReturnType<DirectoryRoutes['userJson']>>;
/** A user of the admins' list (GET /api/users). */
export type UserListItem = AsJson<ReturnType<DirectoryRoutes['userListItemJson']>>;
/** A post holder (GET /api/posts), as api/routes/posts.ts answers one. */
export type PostHolder = AsJson<ReturnType<typeof import('../api/routes/posts').holderJson>>;
/** A page of post holders (GET /api/posts), with `people` naming who assigned each post. */
export type PostHolderPage = AsJson<Awaited<ReturnType<typeof import('../api/routes/posts').holderPageJson>>>;
/** One page of a keyset-paged list without a total. */
export interface KeysetPage<T> {
  items: T[];
  nextCursor: string | null;
}

/** One urge of the list (GET /api/urges), as api/routes/urges.ts answers it. */
export type UrgeListItem = AsJson<ReturnType<typeof import('../api/routes/urges').urgeListItemJson>>;

/** An API key of the admins' list (GET /api/api-keys), as db/directory-changes.ts listApiKeys reads it. */
export type ApiKeyListItem = AsJson<Awaited<ReturnType<typeof import('../db/directory-changes').listApiKeys>>[number]>;
/** A key just made (POST /api/api-keys and a service account's): shown once. */
export type ApiKeyCreated = Awaited<ReturnType<typeof import('../db/directory').createOwnApiKey>>;

/** A published calendar year (GET /api/calendars), as db/calendar.ts loads it. */
export type CalendarYear = AsJson<Awaited<ReturnType<typeof import('../db/calendar').loadCalendarYears>>[number]>;
/** How far a calendar publication has got (GET /api/calendars/publications/:id), as db/calendar-publications.ts reads it. */
export type CalendarPublication = AsJson<NonNullable<Awaited<ReturnType<typeof import('../db/calendar-publications').findPublication>>>>;
/** A publication of the list (GET /api/calendars/publications). */
export type CalendarPublicationListItem = AsJson<ReturnType<typeof import('../api/routes/calendars').publicationListItemJson>>;

type StockImportRoutes = typeof import('../api/stock-import/batch-json');
/** A stock import (GET /api/stock-imports/:id and the list), as api/stock-import/batch-json.ts answers it. */
export type StockImport = AsJson<ReturnType<StockImportRoutes['batchJson']>>;
/** One row of a stock import's file as validated. */
export type StockImportLine = AsJson<ReturnType<StockImportRoutes['lineJson']>>;

type PolicyRoutes = typeof import('../api/routes/policies');
/** Every policy version and the vocabulary of its fields (GET /api/policies), as api/routes/policies.ts answers it. */
export type PolicyList = AsJson<ReturnType<PolicyRoutes['policyListJson']>>;
/** One policy version with the one before it and what changed (GET /api/policies/:id). */
export type PolicyVersion = AsJson<ReturnType<PolicyRoutes['policyVersionJson']>>;
/** Every jurisdiction's review-meeting rhythm (GET /api/review-packs/policies). */
export type ReviewPolicies = AsJson<ReturnType<typeof import('../api/routes/review-packs').reviewPoliciesJson>>;
/** A policy's scope: its grade, and the source or industry it is narrowed to. */
export interface PolicyScope {
  grade: string;
  source?: string | null;
  industry?: string | null;
}

/** The dates a notice would be issued with (POST /api/notices/deadline-preview), as api/routes/notice-preview.ts answers them. */
export type NoticePreview = AsJson<ReturnType<typeof import('../api/routes/notice-preview').noticePreviewJson>>;

type EvidenceRoutes = typeof import('../api/routes/evidence');
/** One stored evidence file of a hazard, as api/routes/evidence.ts (evidenceJson) answers an upload with it. */
export type EvidenceUploadedFile = AsJson<ReturnType<EvidenceRoutes['evidenceJson']>>;
/** A hazard's evidence files (GET /api/hazards/:id/evidence), each with its uploader's display name. */
export type EvidenceList = AsJson<Awaited<ReturnType<EvidenceRoutes['evidenceListJson']>>>;
/** A file as the pages hold one: listed (with the uploader's name) or just uploaded (without). */
export type EvidenceFile = EvidenceUploadedFile & Partial<Pick<EvidenceList['items'][number], 'uploadedByName'>>;
/** What an upload answers: the record of each file sent. */
export interface EvidenceUploaded {
  items: EvidenceUploadedFile[];
}

/** A successful log-in (POST /api/auth/login), as api/routes/auth.ts (loginJson) answers it. */
export type LoginAnswer = AsJson<ReturnType<typeof import('../api/routes/auth').loginJson>>;
/** Who can take a place on a hazard (GET /api/hazards/:id/assignees). */
export type Assignees = AsJson<ReturnType<typeof import('../api/routes/hazard-actions').assigneesJson>>;
/** The versions a hazard could move to, each with what would change (GET /api/hazards/:id/policy-choices). */
export type PolicyChoices = AsJson<ReturnType<typeof import('../api/routes/hazard-actions').policyChoicesJson>>;

type InspectionRoutes = typeof import('../api/routes/inspections');
/** An inspection of a list page (GET /api/inspections), as api/routes/inspections.ts (inspectionJson) answers it. */
export type InspectionListItem = AsJson<ReturnType<InspectionRoutes['inspectionJson']>>;
/** A page of inspections, with the total. */
export type InspectionPage = AsJson<Awaited<ReturnType<InspectionRoutes['inspectionPageJson']>>>;
/** An inspection with its findings and trail (GET /api/inspections/:id, and as recorded). */
export type Inspection = AsJson<Awaited<ReturnType<InspectionRoutes['inspectionDetailJson']>>>;
/** One checklist finding of an inspection. */
export type InspectionFinding = Inspection['findings'][number];
/** The supervisors who can inspect beside the caller (GET /api/inspectors). */
export type CoInspectors = AsJson<ReturnType<InspectionRoutes['coInspectorsJson']>>;

/** One escalation addressed to the caller (GET /api/escalations), as api/routes/escalations.ts answers it. */
export type EscalationItem = AsJson<ReturnType<typeof import('../api/routes/escalations').escalationJson>>;

type NotificationRoutes = typeof import('../api/routes/notifications');
/** A person's notification preferences (GET/PUT /api/notification-preferences). */
export type NotificationPreferences = AsJson<Awaited<ReturnType<NotificationRoutes['preferencesAnswer']>>>;
/** One hazard's audit trail (GET /api/hazards/:id/audit): the chain's check, its entries, the actors by display name. */
export interface HazardAudit {
  ok: boolean;
  rowsChecked: number;
  firstBreak: import('../domain/audit-chain').ChainBreak | null;
  entries: import('../db/audit-verify').AuditEntry[];
  people: Record<string, string>;
}
/** The check of every audit chain within reach (GET /api/audit/verify). */
export type AuditVerification = AsJson<import('../db/audit-verify').VerificationReport>;
/** What became of an item's notifications (GET /api/hazards/:id/deliveries, …/notices/:id/deliveries). */
export type ItemDeliveries = AsJson<Awaited<ReturnType<NotificationRoutes['itemDeliveriesJson']>>>;
/** One delivery of an item, with its tries. */
export type ItemDelivery = ItemDeliveries['items'][number];

/** The documents printed for a record (GET …/documents), by the schema api/routes/documents.ts builds them with. */
export type DocumentList = import('zod').output<typeof import('../api/routes/documents').documentList>;
/** A review pack whose assembly has begun (POST /api/review-packs). */
export type PackAssembly = AsJson<ReturnType<typeof import('../api/routes/review-packs').assemblyJson>>;
/** A calendar publication just begun (POST /api/calendars). */
export type PublicationStarted = AsJson<ReturnType<typeof import('../api/routes/calendars').publicationStartedJson>>;
/** A policy version as saved (POST /api/policies). */
export type PolicySaved = AsJson<ReturnType<PolicyRoutes['policyJson']>>;

/** A hash route resolved: the page, the navigation entry it lights up, its parameters. */
export interface Route {
  page: Page;
  nav: string | null;
  params: Record<string, string>;
  /** Shown without signing in (the sign-in page). */
  public?: boolean;
}

/** A status-filtered list page of cases (case-pages.js statusLedgerPage), its items of type T. */
export interface LedgerSpec<T> {
  base: string;
  titleKey: string;
  filterKey: string;
  emptyKey: string;
  tableClass: string;
  statuses: string[];
  statusLabel: (status: string) => string;
  load: (filters: Record<string, unknown>) => Promise<ListPage<T>>;
  columns: Array<{ col: string; key: string; render: (item: T, names: Map<string, string>) => Child }>;
  rowAttrs: (item: T) => Props;
  urlFilters?: string[];
  exportPath?: string;
  /** Beside the heading (a command that starts from the list). */
  headAction?: Child;
  /** Tick boxes in a first column, and the bar of what to do with the ticked rows (row-selection.js). */
  selection?: { bar: HTMLElement | null; box: (item: T) => Child };
}

/** What a case's timeline shows of each event (a hazard's, a notice's, a suspension's). */
export interface TimelineEvent {
  type: string;
  actor: string;
  actorName?: string | null;
  occurredAt: string;
}

/** A case's timeline (case-pages.js timelineCard): how each event is named and detailed. */
export interface TimelineSpec<E extends TimelineEvent> {
  typeLabel: (event: E) => Child;
  details: (event: E) => Child;
  headExtra?: (event: E) => Child;
  people?: Record<string, string>;
}

/** What a case sent and to whom (case-pages.js notificationsCard). */
export interface CaseNotification {
  scheduledAt: string;
  kind: string;
  recipientRole: string;
  message: string;
  /** The step that sent it (a key of the case's `reached`). */
  step: string;
}

/** Whom each step of a case reached, by step key (inside the bureau only; absent for enterprises). */
export type ReachedBySteps = Notice['reached'];

/** Called when a command on a record succeeded: the record as it now is, and what to say. */
export type Updated<T> = (updated: T, note: string) => unknown;

/** A select filter of a filter bar (escalations.js filterBar). */
export interface SelectFilter {
  name: string;
  labelText: string;
  current: string;
  options: Array<[string, string]>;
  onPick: (value: string) => void;
}

/** The buttons to the first and the next page of a keyset-paged list. */
export interface CursorPaging {
  cursor?: string | null;
  nextCursor?: string | null;
  first: () => void;
  next: () => void;
}

/** A campaign figure's link: the count, its cohort and measure, and the scope it is within. */
export type CampaignCount = (n: number, cohort: string, measure: CampaignMeasure, extra: Record<string, string>) => HTMLElement;
/** A measure of a campaign's cohort, and the ledger filter its count opens. */
export interface CampaignMeasure {
  key: keyof CampaignFigures['stock'];
  filter: Record<string, string>;
}

/** What the hazard page gives its forms: reload the record, a step done, files uploaded. */
export interface HazardActions {
  reload: (message?: string) => Promise<unknown>;
  onDone: Updated<Hazard>;
  onFiles: (files: EvidenceFile[]) => void;
}

/** The major hazard's forms also show refusals as the hazard page does (a 409 offers to reload). */
export interface MajorHazardActions extends HazardActions {
  refused: (state: import('./ui.js').FormState, problem: import('./api.js').ApiProblem, reload: HazardActions['reload']) => void;
}

/**
 * The request bodies the pages send, as the API's own schemas (api/schemas) accept them: a page
 * sending a field the API does not know, or of the wrong type, fails this check.
 */
export type In<T extends import('zod').ZodType> = import('zod').input<T>;
type HazardSchemas = typeof import('../api/schemas/hazard');
type HazardActionSchemas = typeof import('../api/schemas/hazard-actions');
type NoticeSchemas = typeof import('../api/schemas/notice');
type SuspensionSchemas = typeof import('../api/schemas/suspension');
type InspectionSchemas = typeof import('../api/schemas/inspection');
type NotificationSchemas = typeof import('../api/schemas/notifications');
type PolicySchemas = typeof import('../api/routes/policies');
export interface Bodies {
  createHazard: In<HazardSchemas['createHazardBody']>;
  submission: In<HazardSchemas['submissionBody']>;
  review: In<HazardSchemas['reviewBody']>;
  extensionRequest: In<HazardSchemas['extensionRequestBody']>;
  extensionDecision: In<HazardSchemas['extensionDecisionBody']>;
  plan: In<HazardActionSchemas['planBody']>;
  acceptance: In<HazardActionSchemas['acceptanceBody']>;
  createNotice: In<NoticeSchemas['createNoticeBody']>;
  noticePreview: In<NoticeSchemas['noticePreviewBody']>;
  decision: In<NoticeSchemas['decisionBody']>;
  extendNotice: In<NoticeSchemas['extendNoticeBody']>;
  confirmCompletion: In<NoticeSchemas['confirmCompletionBody']>;
  createSuspension: In<SuspensionSchemas['createSuspensionBody']>;
  resumptionRequest: In<SuspensionSchemas['resumptionRequestBody']>;
  resumptionReview: In<SuspensionSchemas['resumptionReviewBody']>;
  extendSuspension: In<SuspensionSchemas['extendSuspensionBody']>;
  liftSuspension: In<SuspensionSchemas['liftSuspensionBody']>;
  createInspection: In<InspectionSchemas['createInspectionBody']>;
  findingHazard: In<InspectionSchemas['findingHazardBody']>;
  preferences: In<NotificationSchemas['preferencesBody']>;
  policy: In<PolicySchemas['savePolicyBody']>['policy'];
}
