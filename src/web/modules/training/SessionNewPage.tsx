import { Card } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import type { SessionDetail } from '../../../contracts/training';
import { post } from '../../api';
import { applyServerErrors } from '../../ui/forms';
import { notifySuccess } from '../../ui/notify';
import { PageBreadcrumbs } from '../../ui/PageBreadcrumbs';
import { PageHeader } from '../../ui/PageHeader';
import { SessionFields, toSessionBody, useSessionForm } from './SessionForm';

export { validateSessionNewSearch, type SessionNewSearch } from './search';


const route = getRouteApi('/_app/training/sessions/new');

export function SessionNewPage() {
  const search = route.useSearch();
  const navigate = useNavigate();
  const form = useSessionForm({
    hostId: search.host ?? '',
    guestIds: search.guest ? [search.guest] : [],
    skillIds: search.skills ? search.skills.split(',') : [],
    ...(search.store ? { storeId: search.store } : {}),
  });
  const create = useMutation({
    mutationFn: (v: typeof form.values) => post<SessionDetail>('/api/training/sessions', toSessionBody(v)),
    onSuccess: (s) => {
      notifySuccess(`${s.ref} proposed; invitations are on their way`);
      void navigate({ to: '/training/sessions/$ref', params: { ref: s.ref } });
    },
    onError: (err) => applyServerErrors(form, err),
  });
  return (
    <>
      <PageBreadcrumbs to="/training/sessions" label="Sessions" current="Propose a session" />
      <PageHeader title="Propose a shadowing session" description="The host and guests get a calendar invitation by mail; guests accept or decline in Tandem." />
      <Card padding="lg">
        <form onSubmit={form.onSubmit((v) => create.mutate(v))}>
          <SessionFields form={form} submitLabel="Propose and send invitations" loading={create.isPending} />
        </form>
      </Card>
    </>
  );
}
