import { ModuleAccessPage } from './modules/access/ModuleAccessPage';
import { createRootRoute, createRoute, createRouter, Outlet } from '@tanstack/react-router';
import { AuditPage } from './modules/audit/AuditPage';
import { ForgotPasswordPage } from './modules/auth/ForgotPasswordPage';
import { InvitePage } from './modules/auth/InvitePage';
import { ResetPasswordPage } from './modules/auth/ResetPasswordPage';
import { SignInPage } from './modules/auth/SignInPage';
import { DepartmentsPage } from './modules/departments/DepartmentsPage';
import { HomePage } from './modules/home/HomePage';
import { IdeaNewPage } from './modules/ideas/IdeaNewPage';
import { IdeaPage } from './modules/ideas/IdeaPage';
import { IdeasBoardPage } from './modules/ideas/IdeasBoardPage';
import { IdeasPage, validateIdeasSearch } from './modules/ideas/IdeasPage';
import { OutboxMessagePage } from './modules/outbox/OutboxMessagePage';
import { OutboxPage } from './modules/outbox/OutboxPage';
import { PeoplePage } from './modules/people/PeoplePage';
import { PersonPage } from './modules/people/PersonPage';
import { CashierPage } from './modules/pos/CashierPage';
import { DashboardPage as PosDashboardPage } from './modules/pos/DashboardPage';
import { ExceptionPage } from './modules/pos/ExceptionPage';
import { ExceptionsPage, validateExceptionsSearch } from './modules/pos/ExceptionsPage';
import { ImportPage as PosImportPage } from './modules/pos/ImportPage';
import { QueuePage as PosQueuePage } from './modules/pos/QueuePage';
import { RankingPage as PosRankingPage, validateRankingSearch } from './modules/pos/RankingPage';
import { RegistersPage as PosRegistersPage } from './modules/pos/RegistersPage';
import { SettingsPage as PosSettingsPage, validatePosSettingsSearch } from './modules/pos/SettingsPage';
import { StorePage as PosStorePage } from './modules/pos/StorePage';
import { TransactionPage } from './modules/pos/TransactionPage';
import { CataloguePage as DeviceCataloguePage } from './modules/devices/CataloguePage';
import { DevicePage } from './modules/devices/DevicePage';
import { DevicesPage } from './modules/devices/DevicesPage';
import { FindingsPage, validateFindingsSearch } from './modules/devices/FindingsPage';
import { PlannerPage } from './modules/devices/PlannerPage';
import { PosturePage } from './modules/devices/PosturePage';
import { ScansPage } from './modules/devices/ScansPage';
import { MeetingsPage } from './modules/meetings/MeetingsPage';
import { ActionsPage as MeetingActionsPage, validateActionsSearch } from './modules/meetings/ActionsPage';
import { SeriesPage as MeetingSeriesPage } from './modules/meetings/SeriesPage';
import { OccurrencePage as MeetingOccurrencePage } from './modules/meetings/OccurrencePage';
import { ProfilePage } from './modules/profile/ProfilePage';
import { ProjectPage } from './modules/projects/ProjectPage';
import { ProjectsPage, validateProjectsSearch } from './modules/projects/ProjectsPage';
import { AlignmentPage } from './modules/budget/AlignmentPage';
import { BudgetPage } from './modules/budget/BudgetPage';
import { PulsePage } from './modules/budget/PulsePage';
import { CataloguePage } from './modules/requests/CataloguePage';
import { LedgerPage } from './modules/requests/LedgerPage';
import { RequestPage } from './modules/requests/RequestPage';
import { RequestsPage, validateRequestsSearch } from './modules/requests/RequestsPage';
import { StoresPage } from './modules/stores/StoresPage';
import { TrainingCataloguePage } from './modules/training/CataloguePage';
import { ConfirmPage as TrainingConfirmPage } from './modules/training/ConfirmPage';
import { CoveragePage as TrainingCoveragePage } from './modules/training/CoveragePage';
import { HeatmapPage as TrainingHeatmapPage } from './modules/training/HeatmapPage';
import { MySkillsPage } from './modules/training/MySkillsPage';
import { PairingsPage as TrainingPairingsPage } from './modules/training/PairingsPage';
import { SessionNewPage, validateSessionNewSearch } from './modules/training/SessionNewPage';
import { SessionPage as TrainingSessionPage } from './modules/training/SessionPage';
import { SessionsPage as TrainingSessionsPage } from './modules/training/SessionsPage';
import { NotificationSettingsPage } from './modules/notifications/NotificationSettingsPage';
import { NotificationsPage } from './modules/notifications/NotificationsPage';
import { SearchPage, validateSearchPage } from './modules/search/SearchPage';
import { CaseNewPage, validateCaseNewSearch } from './modules/cases/CaseNewPage';
import { CasePage } from './modules/cases/CasePage';
import { CasesPage, validateCasesSearch } from './modules/cases/CasesPage';
import { IncidentNewPage } from './modules/cases/IncidentNewPage';
import { IncidentPage } from './modules/cases/IncidentPage';
import { IncidentsPage, validateIncidentsSearch } from './modules/cases/IncidentsPage';
import { TipPage } from './modules/cases/TipPage';
import { ArchiveEditionPage as NewsletterArchiveEditionPage, ArchivePage as NewsletterArchivePage } from './modules/newsletter/ArchivePage';
import { EditionPage as NewsletterEditionPage } from './modules/newsletter/EditionPage';
import { EditionsPage as NewsletterEditionsPage } from './modules/newsletter/EditionsPage';
import { ConfirmPage as NewsletterConfirmPage, PreferencesPage as NewsletterPreferencesPage } from './modules/newsletter/PreferencesPage';
import { SubscribersPage as NewsletterSubscribersPage } from './modules/newsletter/SubscribersPage';
import { AppLayout } from './ui/AppLayout';
import { NotFoundPage } from './ui/StatusPages';

const optionalString = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

const rootRoute = createRootRoute({ component: Outlet, notFoundComponent: NotFoundPage });

// Public pages
const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/sign-in',
  validateSearch: (s: Record<string, unknown>): { redirect?: string } => ({ redirect: optionalString(s.redirect) }),
  component: SignInPage,
});
const forgotRoute = createRoute({ getParentRoute: () => rootRoute, path: '/forgot-password', component: ForgotPasswordPage });
const resetRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/reset-password',
  validateSearch: (s: Record<string, unknown>): { token?: string; error?: string } => ({
    token: optionalString(s.token),
    error: optionalString(s.error),
  }),
  component: ResetPasswordPage,
});
const inviteRoute = createRoute({ getParentRoute: () => rootRoute, path: '/invite/$token', component: InvitePage });
const tipRoute = createRoute({ getParentRoute: () => rootRoute, path: '/tip', component: TipPage });

// Signed-in pages, inside the app frame
const appRoute = createRoute({ getParentRoute: () => rootRoute, id: '_app', component: AppLayout });
const homeRoute = createRoute({ getParentRoute: () => appRoute, path: '/', component: HomePage });
const peopleRoute = createRoute({ getParentRoute: () => appRoute, path: '/people', component: PeoplePage });
const personRoute = createRoute({ getParentRoute: () => appRoute, path: '/people/$id', component: PersonPage });
const storesRoute = createRoute({ getParentRoute: () => appRoute, path: '/stores', component: StoresPage });
const departmentsRoute = createRoute({ getParentRoute: () => appRoute, path: '/departments', component: DepartmentsPage });
const auditRoute = createRoute({ getParentRoute: () => appRoute, path: '/admin/audit', component: AuditPage });
const moduleAccessRoute = createRoute({ getParentRoute: () => appRoute, path: '/admin/access', component: ModuleAccessPage });
const outboxRoute = createRoute({ getParentRoute: () => appRoute, path: '/admin/outbox', component: OutboxPage });
const outboxMessageRoute = createRoute({ getParentRoute: () => appRoute, path: '/admin/outbox/$id', component: OutboxMessagePage });
const profileRoute = createRoute({ getParentRoute: () => appRoute, path: '/profile', component: ProfilePage });
const requestsRoute = createRoute({ getParentRoute: () => appRoute, path: '/requests', validateSearch: validateRequestsSearch, component: RequestsPage });
const ledgerRoute = createRoute({ getParentRoute: () => appRoute, path: '/requests/ledger', component: LedgerPage });
const requestRoute = createRoute({ getParentRoute: () => appRoute, path: '/requests/$ref', component: RequestPage });
const catalogueRoute = createRoute({ getParentRoute: () => appRoute, path: '/admin/request-catalogue', component: CataloguePage });
const ideasRoute = createRoute({ getParentRoute: () => appRoute, path: '/ideas', validateSearch: validateIdeasSearch, component: IdeasPage });
const ideaNewRoute = createRoute({ getParentRoute: () => appRoute, path: '/ideas/new', component: IdeaNewPage });
const ideasBoardRoute = createRoute({ getParentRoute: () => appRoute, path: '/ideas/board', component: IdeasBoardPage });
const ideaRoute = createRoute({ getParentRoute: () => appRoute, path: '/ideas/$id', component: IdeaPage });
const posRoute = createRoute({ getParentRoute: () => appRoute, path: '/pos', component: PosDashboardPage });
const posExceptionsRoute = createRoute({ getParentRoute: () => appRoute, path: '/pos/exceptions', validateSearch: validateExceptionsSearch, component: ExceptionsPage });
const posQueueRoute = createRoute({ getParentRoute: () => appRoute, path: '/pos/queue', component: PosQueuePage });
const posRankingRoute = createRoute({ getParentRoute: () => appRoute, path: '/pos/ranking', validateSearch: validateRankingSearch, component: PosRankingPage });
const posRegistersRoute = createRoute({ getParentRoute: () => appRoute, path: '/pos/registers', component: PosRegistersPage });
const posExceptionRoute = createRoute({ getParentRoute: () => appRoute, path: '/pos/exceptions/$id', component: ExceptionPage });
const posImportsRoute = createRoute({ getParentRoute: () => appRoute, path: '/pos/imports', component: PosImportPage });
const posSettingsRoute = createRoute({ getParentRoute: () => appRoute, path: '/pos/settings', validateSearch: validatePosSettingsSearch, component: PosSettingsPage });
const posStoreRoute = createRoute({ getParentRoute: () => appRoute, path: '/pos/stores/$id', component: PosStorePage });
const posCashierRoute = createRoute({ getParentRoute: () => appRoute, path: '/pos/cashiers/$id', component: CashierPage });
const notificationsRoute = createRoute({ getParentRoute: () => appRoute, path: '/notifications', component: NotificationsPage });
const notificationSettingsRoute = createRoute({ getParentRoute: () => appRoute, path: '/notifications/settings', component: NotificationSettingsPage });
const searchRoute = createRoute({ getParentRoute: () => appRoute, path: '/search', validateSearch: validateSearchPage, component: SearchPage });
const posTransactionRoute = createRoute({ getParentRoute: () => appRoute, path: '/pos/transactions/$id', component: TransactionPage });
const trainingRoute = createRoute({ getParentRoute: () => appRoute, path: '/training', component: MySkillsPage });
const trainingHeatmapRoute = createRoute({ getParentRoute: () => appRoute, path: '/training/heatmap', component: TrainingHeatmapPage });
const trainingConfirmRoute = createRoute({ getParentRoute: () => appRoute, path: '/training/confirm', component: TrainingConfirmPage });
const trainingCoverageRoute = createRoute({ getParentRoute: () => appRoute, path: '/training/coverage', component: TrainingCoveragePage });
const trainingPairingsRoute = createRoute({ getParentRoute: () => appRoute, path: '/training/pairings', component: TrainingPairingsPage });
const trainingSessionsRoute = createRoute({ getParentRoute: () => appRoute, path: '/training/sessions', component: TrainingSessionsPage });
const trainingSessionNewRoute = createRoute({ getParentRoute: () => appRoute, path: '/training/sessions/new', validateSearch: validateSessionNewSearch, component: SessionNewPage });
const trainingSessionRoute = createRoute({ getParentRoute: () => appRoute, path: '/training/sessions/$ref', component: TrainingSessionPage });
const trainingCatalogueRoute = createRoute({ getParentRoute: () => appRoute, path: '/admin/training-catalogue', component: TrainingCataloguePage });
const devicesRoute = createRoute({ getParentRoute: () => appRoute, path: '/devices', component: DevicesPage });
const deviceScansRoute = createRoute({ getParentRoute: () => appRoute, path: '/devices/scans', component: ScansPage });
const deviceFindingsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/devices/findings',
  validateSearch: validateFindingsSearch,
  component: function DeviceFindingsRoute() {
    return <FindingsPage search={deviceFindingsRoute.useSearch()} />;
  },
});
const devicePostureRoute = createRoute({ getParentRoute: () => appRoute, path: '/devices/posture', component: PosturePage });
const deviceCatalogueRoute = createRoute({ getParentRoute: () => appRoute, path: '/devices/catalogue', component: DeviceCataloguePage });
const devicePlannerRoute = createRoute({ getParentRoute: () => appRoute, path: '/devices/planner', component: PlannerPage });
const deviceRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/devices/$id',
  component: function DeviceRoute() {
    const { id } = deviceRoute.useParams();
    return <DevicePage key={id} id={id} />;
  },
});

const incidentsRoute = createRoute({ getParentRoute: () => appRoute, path: '/incidents', validateSearch: validateIncidentsSearch, component: IncidentsPage });
const incidentNewRoute = createRoute({ getParentRoute: () => appRoute, path: '/incidents/new', component: IncidentNewPage });
const incidentRoute = createRoute({ getParentRoute: () => appRoute, path: '/incidents/$id', component: IncidentPage });
const casesRoute = createRoute({ getParentRoute: () => appRoute, path: '/cases', validateSearch: validateCasesSearch, component: CasesPage });
const caseNewRoute = createRoute({ getParentRoute: () => appRoute, path: '/cases/new', validateSearch: validateCaseNewSearch, component: CaseNewPage });
const caseRoute = createRoute({ getParentRoute: () => appRoute, path: '/cases/$id', component: CasePage });
const meetingsRoute = createRoute({ getParentRoute: () => appRoute, path: '/meetings', component: MeetingsPage });
const meetingActionsRoute = createRoute({ getParentRoute: () => appRoute, path: '/meetings/actions', validateSearch: validateActionsSearch, component: MeetingActionsPage });
const meetingSeriesRoute = createRoute({ getParentRoute: () => appRoute, path: '/meetings/series/$id', component: MeetingSeriesPage });
const meetingOccurrenceRoute = createRoute({ getParentRoute: () => appRoute, path: '/meetings/occurrences/$id', component: MeetingOccurrencePage });
const projectsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/projects',
  validateSearch: validateProjectsSearch,
  component: function ProjectsRoute() {
    return <ProjectsPage search={projectsRoute.useSearch()} />;
  },
});
const projectRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/projects/$ref',
  component: function ProjectRoute() {
    const { ref } = projectRoute.useParams();
    return <ProjectPage key={ref} projectRef={ref} />;
  },
});
const budgetRoute = createRoute({ getParentRoute: () => appRoute, path: '/budget', component: BudgetPage });
const alignmentRoute = createRoute({ getParentRoute: () => appRoute, path: '/budget/alignment', component: AlignmentPage });
const pulseRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/budget/pulse/$id',
  component: function PulseRoute() {
    const { id } = pulseRoute.useParams();
    return <PulsePage key={id} roundId={id} />;
  },
});
// Newsletter (M9): readers' own pages (signed link, no sign-in) sit outside the app frame.
const tokenSearch = (s: Record<string, unknown>): { token: string } => ({ token: optionalString(s.token) ?? '' });
const newsletterPreferencesRoute = createRoute({ getParentRoute: () => rootRoute, path: '/newsletter/preferences', validateSearch: tokenSearch, component: NewsletterPreferencesPage });
const newsletterConfirmRoute = createRoute({ getParentRoute: () => rootRoute, path: '/newsletter/confirm', validateSearch: tokenSearch, component: NewsletterConfirmPage });
const newsletterRoute = createRoute({ getParentRoute: () => appRoute, path: '/newsletter', component: NewsletterEditionsPage });
const newsletterEditionRoute = createRoute({ getParentRoute: () => appRoute, path: '/newsletter/editions/$id', component: NewsletterEditionPage });
const newsletterArchiveRoute = createRoute({ getParentRoute: () => appRoute, path: '/newsletter/archive', component: NewsletterArchivePage });
const newsletterArchiveEditionRoute = createRoute({ getParentRoute: () => appRoute, path: '/newsletter/archive/$id', component: NewsletterArchiveEditionPage });
const newsletterSubscribersRoute = createRoute({ getParentRoute: () => appRoute, path: '/newsletter/subscribers', component: NewsletterSubscribersPage });

const routeTree = rootRoute.addChildren([
  signInRoute,
  forgotRoute,
  resetRoute,
  inviteRoute,
  tipRoute,
  newsletterPreferencesRoute,
  newsletterConfirmRoute,
  appRoute.addChildren([
    newsletterRoute,
    newsletterEditionRoute,
    newsletterArchiveRoute,
    newsletterArchiveEditionRoute,
    newsletterSubscribersRoute,
    homeRoute,
    peopleRoute,
    personRoute,
    storesRoute,
    departmentsRoute,
    auditRoute,
    moduleAccessRoute,
    outboxRoute,
    outboxMessageRoute,
    profileRoute,
    requestsRoute,
    ledgerRoute,
    requestRoute,
    catalogueRoute,
    ideasRoute,
    ideaNewRoute,
    ideasBoardRoute,
    ideaRoute,
    posRoute,
    posExceptionsRoute,
    posQueueRoute,
    posRankingRoute,
    posRegistersRoute,
    posExceptionRoute,
    posImportsRoute,
    posSettingsRoute,
    posStoreRoute,
    posCashierRoute,
    posTransactionRoute,
    trainingRoute,
    trainingHeatmapRoute,
    trainingConfirmRoute,
    trainingCoverageRoute,
    trainingPairingsRoute,
    trainingSessionsRoute,
    trainingSessionNewRoute,
    trainingSessionRoute,
    trainingCatalogueRoute,
    notificationsRoute,
    notificationSettingsRoute,
    searchRoute,
    devicesRoute,
    projectsRoute,
    projectRoute,
    budgetRoute,
    alignmentRoute,
    pulseRoute,
    deviceScansRoute,
    deviceFindingsRoute,
    devicePostureRoute,
    deviceCatalogueRoute,
    devicePlannerRoute,
    deviceRoute,
    incidentsRoute,
    incidentNewRoute,
    incidentRoute,
    casesRoute,
    caseNewRoute,
    caseRoute,
    meetingsRoute,
    meetingActionsRoute,
    meetingSeriesRoute,
    meetingOccurrenceRoute,
  ]),
]);

export const router = createRouter({ routeTree, defaultPreload: false, scrollRestoration: true });

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
