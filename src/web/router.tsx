import { createRootRoute, createRoute, createRouter, lazyRouteComponent, Outlet } from '@tanstack/react-router';
import { validateIdeasSearch } from './modules/ideas/search';
import { validateExceptionsSearch } from './modules/pos/search';
import { validatePosSettingsSearch } from './modules/pos/search';
import { validateFindingsSearch } from './modules/devices/search';
import { validateRequestsSearch } from './modules/requests/search';
import { validateSessionNewSearch } from './modules/training/search';
import { validateSearchPage } from './modules/search/search';
import { NotFoundPage } from './ui/StatusPages';

const optionalString = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

const rootRoute = createRootRoute({ component: Outlet, notFoundComponent: NotFoundPage });

// Public pages
const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/sign-in',
  validateSearch: (s: Record<string, unknown>): { redirect?: string } => ({ redirect: optionalString(s.redirect) }),
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

// Signed-in pages, inside the app frame
const appRoute = createRoute({ getParentRoute: () => rootRoute, id: '_app', component: lazyRouteComponent(() => import('./ui/AppLayout'), 'AppLayout') });
const homeRoute = createRoute({ getParentRoute: () => appRoute, path: '/', component: lazyRouteComponent(() => import('./modules/home/HomePage'), 'HomePage') });
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
const ideaNewRoute = createRoute({ getParentRoute: () => appRoute, path: '/ideas/new', component: lazyRouteComponent(() => import('./modules/ideas/IdeaNewPage'), 'IdeaNewPage') });
const ideasBoardRoute = createRoute({ getParentRoute: () => appRoute, path: '/ideas/board', component: lazyRouteComponent(() => import('./modules/ideas/IdeasBoardPage'), 'IdeasBoardPage') });
const ideaRoute = createRoute({ getParentRoute: () => appRoute, path: '/ideas/$id', component: lazyRouteComponent(() => import('./modules/ideas/IdeaPage'), 'IdeaPage') });
const posRoute = createRoute({ getParentRoute: () => appRoute, path: '/pos', component: lazyRouteComponent(() => import('./modules/pos/DashboardPage'), 'DashboardPage') });
const posExceptionsRoute = createRoute({ getParentRoute: () => appRoute, path: '/pos/exceptions', validateSearch: validateExceptionsSearch, component: lazyRouteComponent(() => import('./modules/pos/ExceptionsPage'), 'ExceptionsPage') });
const posQueueRoute = createRoute({ getParentRoute: () => appRoute, path: '/pos/queue', component: lazyRouteComponent(() => import('./modules/pos/QueuePage'), 'QueuePage') });
const posExceptionRoute = createRoute({ getParentRoute: () => appRoute, path: '/pos/exceptions/$id', component: lazyRouteComponent(() => import('./modules/pos/ExceptionPage'), 'ExceptionPage') });
const posImportsRoute = createRoute({ getParentRoute: () => appRoute, path: '/pos/imports', component: lazyRouteComponent(() => import('./modules/pos/ImportPage'), 'ImportPage') });
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
  component: lazyRouteComponent(() =>
    import('./modules/devices/FindingsPage').then(({ FindingsPage }) => ({
      default: function DeviceFindingsRoute() {
        return <FindingsPage search={deviceFindingsRoute.useSearch()} />;
      },
    })),
  ),
});
const devicePostureRoute = createRoute({ getParentRoute: () => appRoute, path: '/devices/posture', component: lazyRouteComponent(() => import('./modules/devices/PosturePage'), 'PosturePage') });
const deviceCatalogueRoute = createRoute({ getParentRoute: () => appRoute, path: '/devices/catalogue', component: lazyRouteComponent(() => import('./modules/devices/CataloguePage'), 'CataloguePage') });
const devicePlannerRoute = createRoute({ getParentRoute: () => appRoute, path: '/devices/planner', component: lazyRouteComponent(() => import('./modules/devices/PlannerPage'), 'PlannerPage') });
const deviceRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/devices/$id',
  component: lazyRouteComponent(() =>
    import('./modules/devices/DevicePage').then(({ DevicePage }) => ({
      default: function DeviceRoute() {
        const { id } = deviceRoute.useParams();
        return <DevicePage key={id} id={id} />;
      },
    })),
  ),
});

const routeTree = rootRoute.addChildren([
  signInRoute,
  forgotRoute,
  resetRoute,
  inviteRoute,
  appRoute.addChildren([
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
    deviceScansRoute,
    deviceFindingsRoute,
    devicePostureRoute,
    deviceCatalogueRoute,
    devicePlannerRoute,
    deviceRoute,
  ]),
]);

export const router = createRouter({ routeTree, defaultPreload: false, scrollRestoration: true });

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
