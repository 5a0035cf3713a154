import { createRootRoute, createRoute, createRouter, lazyRouteComponent, Outlet, redirect } from '@tanstack/react-router';
import { isApiError } from './api';
import { validateIdeasSearch } from './modules/ideas/search';
import { validateExceptionsSearch } from './modules/pos/search';
import { validateDateRangeSearch, validatePosSettingsSearch, validateRankingSearch } from './modules/pos/search';
import { validateFindingsSearch } from './modules/devices/search';
import { validateActionsSearch } from './modules/meetings/search';
import { validateProjectsSearch } from './modules/projects/search';
import { validateRequestsSearch } from './modules/requests/search';
import { validateSessionNewSearch } from './modules/training/search';
import { validateSearchPage } from './modules/search/search';
import { validateCaseNewSearch, validateCasesSearch, validateIncidentsSearch } from './modules/cases/search';
import { publicConfigQuery } from './modules/auth/query';
import { homeQuery } from './modules/home/query';
import { preloadQuery, queryClient } from './queryClient';
import { AppLayout } from './ui/AppLayout';
import { storesQuery } from './ui/lookups';
import { meQuery, meQueryKey } from './ui/me';
import { NotFoundPage } from './ui/StatusPages';

const optionalString = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

// Pages that take their address's values as props: loaded on demand like the others.
const DevicePage = lazyRouteComponent(() => import('./modules/devices/DevicePage'), 'DevicePage');
const FindingsPage = lazyRouteComponent(() => import('./modules/devices/FindingsPage'), 'FindingsPage');
const ProjectPage = lazyRouteComponent(() => import('./modules/projects/ProjectPage'), 'ProjectPage');
const PulsePage = lazyRouteComponent(() => import('./modules/budget/PulsePage'), 'PulsePage');

const rootRoute = createRootRoute({ component: Outlet, notFoundComponent: NotFoundPage });

// Public pages
const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/sign-in',
  validateSearch: (s: Record<string, unknown>): { redirect?: string } => ({ redirect: optionalString(s.redirect) }),
  // The page and what it offers (the demo sign-in, single sign-on) arrive together: nothing moves once it shows.
  loader: () => preloadQuery(publicConfigQuery),
  component: lazyRouteComponent(() => import('./modules/auth/SignInPage'), 'SignInPage'),
});
const forgotRoute = createRoute({ getParentRoute: () => rootRoute, path: '/forgot-password', component: lazyRouteComponent(() => import('./modules/auth/ForgotPasswordPage'), 'ForgotPasswordPage') });
const resetRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/reset-password',
  validateSearch: (s: Record<string, unknown>): { token?: string; error?: string } => ({
    token: optionalString(s.token),
    error: optionalString(s.error),
  }),
  component: lazyRouteComponent(() => import('./modules/auth/ResetPasswordPage'), 'ResetPasswordPage'),
});
const inviteRoute = createRoute({ getParentRoute: () => rootRoute, path: '/invite/$token', component: lazyRouteComponent(() => import('./modules/auth/InvitePage'), 'InvitePage') });
const tipRoute = createRoute({ getParentRoute: () => rootRoute, path: '/tip', component: lazyRouteComponent(() => import('./modules/cases/TipPage'), 'TipPage') });

// Signed-in pages, inside the app frame
// Loaders run together with the page's code download: who is signed in and the landing page's data.
// Someone signed out goes straight to the sign-in page, before the frame draws (AppLayout also sends
// there a session that ends while the app is open).
const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: '_app',
  loader: async ({ location }) => {
    await preloadQuery(meQuery);
    if (isApiError(queryClient.getQueryState(meQueryKey)?.error, 401)) {
      throw redirect({ to: '/sign-in', search: { redirect: location.pathname === '/' ? undefined : location.href }, replace: true });
    }
  },
  component: AppLayout,
});
const homeRoute = createRoute({ getParentRoute: () => appRoute, path: '/', loader: () => preloadQuery(homeQuery), component: lazyRouteComponent(() => import('./modules/home/HomePage'), 'HomePage') });
const peopleRoute = createRoute({ getParentRoute: () => appRoute, path: '/people', component: lazyRouteComponent(() => import('./modules/people/PeoplePage'), 'PeoplePage') });
const personRoute = createRoute({ getParentRoute: () => appRoute, path: '/people/$id', component: lazyRouteComponent(() => import('./modules/people/PersonPage'), 'PersonPage') });
const storesRoute = createRoute({ getParentRoute: () => appRoute, path: '/stores', component: lazyRouteComponent(() => import('./modules/stores/StoresPage'), 'StoresPage') });
const departmentsRoute = createRoute({ getParentRoute: () => appRoute, path: '/departments', component: lazyRouteComponent(() => import('./modules/departments/DepartmentsPage'), 'DepartmentsPage') });
const auditRoute = createRoute({ getParentRoute: () => appRoute, path: '/admin/audit', component: lazyRouteComponent(() => import('./modules/audit/AuditPage'), 'AuditPage') });
const moduleAccessRoute = createRoute({ getParentRoute: () => appRoute, path: '/admin/access', component: lazyRouteComponent(() => import('./modules/access/ModuleAccessPage'), 'ModuleAccessPage') });
const outboxRoute = createRoute({ getParentRoute: () => appRoute, path: '/admin/outbox', component: lazyRouteComponent(() => import('./modules/outbox/OutboxPage'), 'OutboxPage') });
const outboxMessageRoute = createRoute({ getParentRoute: () => appRoute, path: '/admin/outbox/$id', component: lazyRouteComponent(() => import('./modules/outbox/OutboxMessagePage'), 'OutboxMessagePage') });
const profileRoute = createRoute({ getParentRoute: () => appRoute, path: '/profile', component: lazyRouteComponent(() => import('./modules/profile/ProfilePage'), 'ProfilePage') });
const requestsRoute = createRoute({ getParentRoute: () => appRoute, path: '/requests', validateSearch: validateRequestsSearch, component: lazyRouteComponent(() => import('./modules/requests/RequestsPage'), 'RequestsPage') });
const ledgerRoute = createRoute({ getParentRoute: () => appRoute, path: '/requests/ledger', component: lazyRouteComponent(() => import('./modules/requests/LedgerPage'), 'LedgerPage') });
const requestRoute = createRoute({ getParentRoute: () => appRoute, path: '/requests/$ref', component: lazyRouteComponent(() => import('./modules/requests/RequestPage'), 'RequestPage') });
const catalogueRoute = createRoute({ getParentRoute: () => appRoute, path: '/admin/request-catalogue', component: lazyRouteComponent(() => import('./modules/requests/CataloguePage'), 'CataloguePage') });
const ideasRoute = createRoute({ getParentRoute: () => appRoute, path: '/ideas', validateSearch: validateIdeasSearch, component: lazyRouteComponent(() => import('./modules/ideas/IdeasPage'), 'IdeasPage') });
// The form's store list comes with the page (index.html starts it): the form shows complete, with no second render.
const ideaNewRoute = createRoute({ getParentRoute: () => appRoute, path: '/ideas/new', loader: () => preloadQuery(storesQuery), component: lazyRouteComponent(() => import('./modules/ideas/IdeaNewPage'), 'IdeaNewPage') });
const ideasBoardRoute = createRoute({ getParentRoute: () => appRoute, path: '/ideas/board', component: lazyRouteComponent(() => import('./modules/ideas/IdeasBoardPage'), 'IdeasBoardPage') });
const ideaRoute = createRoute({ getParentRoute: () => appRoute, path: '/ideas/$id', component: lazyRouteComponent(() => import('./modules/ideas/IdeaPage'), 'IdeaPage') });
const posRoute = createRoute({ getParentRoute: () => appRoute, path: '/pos', component: lazyRouteComponent(() => import('./modules/pos/DashboardPage'), 'DashboardPage') });
const posExceptionsRoute = createRoute({ getParentRoute: () => appRoute, path: '/pos/exceptions', validateSearch: validateExceptionsSearch, component: lazyRouteComponent(() => import('./modules/pos/ExceptionsPage'), 'ExceptionsPage') });
const posQueueRoute = createRoute({ getParentRoute: () => appRoute, path: '/pos/queue', component: lazyRouteComponent(() => import('./modules/pos/QueuePage'), 'QueuePage') });
const posRankingRoute = createRoute({ getParentRoute: () => appRoute, path: '/pos/ranking', validateSearch: validateRankingSearch, component: lazyRouteComponent(() => import('./modules/pos/RankingPage'), 'RankingPage') });
const posRegistersRoute = createRoute({ getParentRoute: () => appRoute, path: '/pos/registers', component: lazyRouteComponent(() => import('./modules/pos/RegistersPage'), 'RegistersPage') });
const posExceptionRoute = createRoute({ getParentRoute: () => appRoute, path: '/pos/exceptions/$id', component: lazyRouteComponent(() => import('./modules/pos/ExceptionPage'), 'ExceptionPage') });
const posImportsRoute = createRoute({ getParentRoute: () => appRoute, path: '/pos/imports', component: lazyRouteComponent(() => import('./modules/pos/ImportPage'), 'ImportPage') });
const posOutcomesRoute = createRoute({ getParentRoute: () => appRoute, path: '/pos/outcomes', validateSearch: validateDateRangeSearch, component: lazyRouteComponent(() => import('./modules/pos/OutcomesPage'), 'OutcomesPage') });
const posSettingsRoute = createRoute({ getParentRoute: () => appRoute, path: '/pos/settings', validateSearch: validatePosSettingsSearch, component: lazyRouteComponent(() => import('./modules/pos/SettingsPage'), 'SettingsPage') });
const posStoreRoute = createRoute({ getParentRoute: () => appRoute, path: '/pos/stores/$id', component: lazyRouteComponent(() => import('./modules/pos/StorePage'), 'StorePage') });
const posCashierRoute = createRoute({ getParentRoute: () => appRoute, path: '/pos/cashiers/$id', component: lazyRouteComponent(() => import('./modules/pos/CashierPage'), 'CashierPage') });
const notificationsRoute = createRoute({ getParentRoute: () => appRoute, path: '/notifications', component: lazyRouteComponent(() => import('./modules/notifications/NotificationsPage'), 'NotificationsPage') });
const notificationSettingsRoute = createRoute({ getParentRoute: () => appRoute, path: '/notifications/settings', component: lazyRouteComponent(() => import('./modules/notifications/NotificationSettingsPage'), 'NotificationSettingsPage') });
const searchRoute = createRoute({ getParentRoute: () => appRoute, path: '/search', validateSearch: validateSearchPage, component: lazyRouteComponent(() => import('./modules/search/SearchPage'), 'SearchPage') });
const posTransactionRoute = createRoute({ getParentRoute: () => appRoute, path: '/pos/transactions/$id', component: lazyRouteComponent(() => import('./modules/pos/TransactionPage'), 'TransactionPage') });
const trainingRoute = createRoute({ getParentRoute: () => appRoute, path: '/training', component: lazyRouteComponent(() => import('./modules/training/MySkillsPage'), 'MySkillsPage') });
const trainingHeatmapRoute = createRoute({ getParentRoute: () => appRoute, path: '/training/heatmap', component: lazyRouteComponent(() => import('./modules/training/HeatmapPage'), 'HeatmapPage') });
const trainingConfirmRoute = createRoute({ getParentRoute: () => appRoute, path: '/training/confirm', component: lazyRouteComponent(() => import('./modules/training/ConfirmPage'), 'ConfirmPage') });
const trainingCoverageRoute = createRoute({ getParentRoute: () => appRoute, path: '/training/coverage', component: lazyRouteComponent(() => import('./modules/training/CoveragePage'), 'CoveragePage') });
const trainingPairingsRoute = createRoute({ getParentRoute: () => appRoute, path: '/training/pairings', component: lazyRouteComponent(() => import('./modules/training/PairingsPage'), 'PairingsPage') });
const trainingSessionsRoute = createRoute({ getParentRoute: () => appRoute, path: '/training/sessions', component: lazyRouteComponent(() => import('./modules/training/SessionsPage'), 'SessionsPage') });
const trainingSessionNewRoute = createRoute({ getParentRoute: () => appRoute, path: '/training/sessions/new', validateSearch: validateSessionNewSearch, component: lazyRouteComponent(() => import('./modules/training/SessionNewPage'), 'SessionNewPage') });
const trainingSessionRoute = createRoute({ getParentRoute: () => appRoute, path: '/training/sessions/$ref', component: lazyRouteComponent(() => import('./modules/training/SessionPage'), 'SessionPage') });
const trainingCatalogueRoute = createRoute({ getParentRoute: () => appRoute, path: '/admin/training-catalogue', component: lazyRouteComponent(() => import('./modules/training/CataloguePage'), 'TrainingCataloguePage') });
const devicesRoute = createRoute({ getParentRoute: () => appRoute, path: '/devices', component: lazyRouteComponent(() => import('./modules/devices/DevicesPage'), 'DevicesPage') });
const deviceScansRoute = createRoute({ getParentRoute: () => appRoute, path: '/devices/scans', component: lazyRouteComponent(() => import('./modules/devices/ScansPage'), 'ScansPage') });
const deviceFindingsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/devices/findings',
  validateSearch: validateFindingsSearch,
  component: function DeviceFindingsRoute() {
    return <FindingsPage search={deviceFindingsRoute.useSearch()} />;
  },
});
const devicePostureRoute = createRoute({ getParentRoute: () => appRoute, path: '/devices/posture', component: lazyRouteComponent(() => import('./modules/devices/PosturePage'), 'PosturePage') });
const deviceCatalogueRoute = createRoute({ getParentRoute: () => appRoute, path: '/devices/catalogue', component: lazyRouteComponent(() => import('./modules/devices/CataloguePage'), 'CataloguePage') });
const devicePlannerRoute = createRoute({ getParentRoute: () => appRoute, path: '/devices/planner', component: lazyRouteComponent(() => import('./modules/devices/PlannerPage'), 'PlannerPage') });
const deviceRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/devices/$id',
  component: function DeviceRoute() {
    const { id } = deviceRoute.useParams();
    return <DevicePage key={id} id={id} />;
  },
});

const incidentsRoute = createRoute({ getParentRoute: () => appRoute, path: '/incidents', validateSearch: validateIncidentsSearch, component: lazyRouteComponent(() => import('./modules/cases/IncidentsPage'), 'IncidentsPage') });
const incidentNewRoute = createRoute({ getParentRoute: () => appRoute, path: '/incidents/new', component: lazyRouteComponent(() => import('./modules/cases/IncidentNewPage'), 'IncidentNewPage') });
const shrinkRoute = createRoute({ getParentRoute: () => appRoute, path: '/incidents/shrink', component: lazyRouteComponent(() => import('./modules/cases/ShrinkPage'), 'ShrinkPage') });
const incidentRoute = createRoute({ getParentRoute: () => appRoute, path: '/incidents/$id', component: lazyRouteComponent(() => import('./modules/cases/IncidentPage'), 'IncidentPage') });
const casesRoute = createRoute({ getParentRoute: () => appRoute, path: '/cases', validateSearch: validateCasesSearch, component: lazyRouteComponent(() => import('./modules/cases/CasesPage'), 'CasesPage') });
const caseNewRoute = createRoute({ getParentRoute: () => appRoute, path: '/cases/new', validateSearch: validateCaseNewSearch, component: lazyRouteComponent(() => import('./modules/cases/CaseNewPage'), 'CaseNewPage') });
const caseRoute = createRoute({ getParentRoute: () => appRoute, path: '/cases/$id', component: lazyRouteComponent(() => import('./modules/cases/CasePage'), 'CasePage') });
const meetingsRoute = createRoute({ getParentRoute: () => appRoute, path: '/meetings', component: lazyRouteComponent(() => import('./modules/meetings/MeetingsPage'), 'MeetingsPage') });
const meetingActionsRoute = createRoute({ getParentRoute: () => appRoute, path: '/meetings/actions', validateSearch: validateActionsSearch, component: lazyRouteComponent(() => import('./modules/meetings/ActionsPage'), 'ActionsPage') });
const meetingSeriesRoute = createRoute({ getParentRoute: () => appRoute, path: '/meetings/series/$id', component: lazyRouteComponent(() => import('./modules/meetings/SeriesPage'), 'SeriesPage') });
const meetingOccurrenceRoute = createRoute({ getParentRoute: () => appRoute, path: '/meetings/occurrences/$id', component: lazyRouteComponent(() => import('./modules/meetings/OccurrencePage'), 'OccurrencePage') });
const projectsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/projects',
  validateSearch: validateProjectsSearch,
  component: lazyRouteComponent(() => import('./modules/projects/ProjectsPage'), 'ProjectsPage'),
});
const projectTemplatesRoute = createRoute({ getParentRoute: () => appRoute, path: '/projects/templates', component: lazyRouteComponent(() => import('./modules/projects/TemplatesPage'), 'TemplatesPage') });
const projectRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/projects/$ref',
  component: function ProjectRoute() {
    const { ref } = projectRoute.useParams();
    return <ProjectPage key={ref} projectRef={ref} />;
  },
});
const budgetRoute = createRoute({ getParentRoute: () => appRoute, path: '/budget', component: lazyRouteComponent(() => import('./modules/budget/BudgetPage'), 'BudgetPage') });
const alignmentRoute = createRoute({ getParentRoute: () => appRoute, path: '/budget/alignment', component: lazyRouteComponent(() => import('./modules/budget/AlignmentPage'), 'AlignmentPage') });
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
const newsletterPreferencesRoute = createRoute({ getParentRoute: () => rootRoute, path: '/newsletter/preferences', validateSearch: tokenSearch, component: lazyRouteComponent(() => import('./modules/newsletter/PreferencesPage'), 'PreferencesPage') });
const newsletterConfirmRoute = createRoute({ getParentRoute: () => rootRoute, path: '/newsletter/confirm', validateSearch: tokenSearch, component: lazyRouteComponent(() => import('./modules/newsletter/PreferencesPage'), 'ConfirmPage') });
const newsletterRoute = createRoute({ getParentRoute: () => appRoute, path: '/newsletter', component: lazyRouteComponent(() => import('./modules/newsletter/EditionsPage'), 'EditionsPage') });
const newsletterEditionRoute = createRoute({ getParentRoute: () => appRoute, path: '/newsletter/editions/$id', component: lazyRouteComponent(() => import('./modules/newsletter/EditionPage'), 'EditionPage') });
const newsletterArchiveRoute = createRoute({ getParentRoute: () => appRoute, path: '/newsletter/archive', component: lazyRouteComponent(() => import('./modules/newsletter/ArchivePage'), 'ArchivePage') });
const newsletterArchiveEditionRoute = createRoute({ getParentRoute: () => appRoute, path: '/newsletter/archive/$id', component: lazyRouteComponent(() => import('./modules/newsletter/ArchivePage'), 'ArchiveEditionPage') });
const newsletterSubscribersRoute = createRoute({ getParentRoute: () => appRoute, path: '/newsletter/subscribers', component: lazyRouteComponent(() => import('./modules/newsletter/SubscribersPage'), 'SubscribersPage') });

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
    posOutcomesRoute,
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
    projectTemplatesRoute,
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
    shrinkRoute,
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
