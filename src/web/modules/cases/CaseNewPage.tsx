import { Alert, Button, Card, Group, List, Select, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconLock, IconPaperclip } from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { useEffect } from 'react';
import { INCIDENT_TYPES, INCIDENT_TYPE_LABELS, SEALED_TYPES, SUBJECT_KINDS, SUBJECT_KIND_LABELS, type CaseDetail, type IncidentDetail, type IncidentType } from '../../../contracts/cases';
import type { Page } from '../../../contracts/list';
import type { Person } from '../../../contracts/people';
import type { PosException, PosTransaction } from '../../../contracts/pos';
import { get, getAll, post } from '../../api';
import { applyServerErrors } from '../../ui/forms';
import { HQ, storeOptions, useStores } from '../../ui/lookups';
import { useMe } from '../../ui/me';
import { notifySuccess } from '../../ui/notify';
import { PageBreadcrumbs } from '../../ui/PageBreadcrumbs';
import { PageHeader } from '../../ui/PageHeader';
import { useInvalidateCases } from './shared';


const route = getRouteApi('/_app/cases/new');

interface Values {
  title: string;
  type: IncidentType | '';
  storeId: string;
  leadId: string;
  subjectKind: (typeof SUBJECT_KINDS)[number];
  subjectName: string;
  subjectDescription: string;
  summary: string;
}

type CashierInfo = { cashier: { id: string; code: string; name: string; storeId: string; storeCode: string } };

/** Open a case: blank, or from an incident, a POS exception or a cashier (carrying their flagged transactions). */
export function CaseNewPage() {
  const search = route.useSearch();
  const me = useMe();
  const stores = useStores();
  const navigate = useNavigate();
  const invalidate = useInvalidateCases();
  const people = useQuery({ queryKey: ['/api/people', 'case-workers'], queryFn: async () => (await getAll<Person>('/api/people', { status: 'active', sort: 'name' })).filter((p) => p.role !== 'staff' && p.role !== 'viewer') });
  const incident = useQuery({ queryKey: ['incident', search.incident], queryFn: () => get<IncidentDetail>(`/api/incidents/${encodeURIComponent(search.incident!)}`), enabled: !!search.incident });
  const exception = useQuery({ queryKey: ['/api/pos/exceptions', search.exception], queryFn: () => get<PosException>(`/api/pos/exceptions/${search.exception}`), enabled: !!search.exception });
  const cashierId = search.cashier ?? exception.data?.cashierId ?? undefined;
  const cashier = useQuery({ queryKey: ['/api/pos/cashiers', cashierId], queryFn: () => get<CashierInfo>(`/api/pos/cashiers/${cashierId}`), enabled: !!cashierId });
  const flagged = useQuery({
    queryKey: ['/api/pos/cashiers', search.cashier, 'flagged'],
    queryFn: () => get<Page<PosTransaction>>(`/api/pos/cashiers/${search.cashier}/transactions`, { flagged: true, limit: 100, sort: 'startedAt', order: 'desc' }),
    enabled: !!search.cashier,
  });

  const form = useForm<Values>({
    initialValues: { title: '', type: '', storeId: me.data?.storeId ?? HQ, leadId: me.data?.id ?? '', subjectKind: 'unknown', subjectName: '', subjectDescription: '', summary: '' },
    validate: { title: (v) => (v.trim() ? null : 'Give the case a short title'), type: (v) => (v ? null : 'Choose a case type') },
  });
  // Fill the form from what the case is opened from.
  useEffect(() => {
    const i = incident.data;
    if (!i) return;
    form.setValues({ title: `${INCIDENT_TYPE_LABELS[i.type]} at ${i.storeCode ?? 'HQ'}`, type: i.type, storeId: i.storeId ?? HQ, summary: i.narrative, subjectDescription: i.peopleInvolved });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [incident.data]);
  useEffect(() => {
    const c = cashier.data?.cashier;
    if (!c) return;
    form.setValues({
      title: `POS exceptions: ${c.name || c.code} at ${c.storeCode}`,
      type: 'internal_theft',
      storeId: c.storeId,
      subjectKind: 'employee',
      subjectName: c.name || `Cashier ${c.code}`,
      summary: exception.data ? `Opened from ${exception.data.ref}: ${exception.data.summary}` : '',
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [cashier.data, exception.data]);

  const transactionIds = (flagged.data?.items ?? []).map((t) => t.id);
  const submit = useMutation({
    mutationFn: (v: Values) =>
      post<CaseDetail>('/api/cases', {
        title: v.title.trim(),
        type: v.type,
        storeId: v.storeId === HQ ? null : v.storeId,
        leadId: v.leadId || undefined,
        subjectKind: v.subjectKind,
        subjectName: v.subjectName.trim(),
        subjectDescription: v.subjectDescription.trim(),
        subjectCashierId: cashierId ?? null,
        summary: v.summary.trim(),
        incidentIds: search.incident ? [search.incident] : [],
        exceptionIds: search.exception ? [search.exception] : [],
        transactionIds,
      }),
    onSuccess: (c) => {
      invalidate();
      notifySuccess(`${c.ref} is open.`);
      void navigate({ to: '/cases/$id', params: { id: c.ref } });
    },
    onError: (err) => applyServerErrors(form, err),
  });

  const carried = [
    search.incident && `Incident ${search.incident}`,
    exception.data && `Exception ${exception.data.ref}: ${exception.data.summary}`,
    cashier.data && `Cashier ${cashier.data.cashier.name || cashier.data.cashier.code} (${cashier.data.cashier.code}, ${cashier.data.cashier.storeCode}), linked to their POS activity`,
    search.cashier && flagged.data && `${flagged.data.items.length} flagged transaction${flagged.data.items.length === 1 ? '' : 's'} with receipts and video links`,
  ].filter(Boolean) as string[];
  const sealed = form.values.type !== '' && SEALED_TYPES.includes(form.values.type);

  return (
    <Stack gap="md" maw={760}>
      <PageBreadcrumbs to="/cases" label="Cases" current="Open a case" />
      <PageHeader title="Open a case" description="The case gets its CASE reference when you open it. You become a member; the lead is told." />
      {carried.length > 0 && (
        <Alert icon={<IconPaperclip size={18} />} color="blue" variant="light" title="The case starts from">
          <List size="sm" data-testid="case-carries">
            {carried.map((c) => (
              <List.Item key={c}>{c}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      {sealed && (
        <Alert icon={<IconLock size={18} />} color="red" variant="light" title="This case will be restricted">
          Internal-theft cases are visible only to their members and LP leads. Nobody else sees them in lists, counts, search or exports, and every read is recorded.
        </Alert>
      )}
      <Card padding="lg">
        <form onSubmit={form.onSubmit((v) => submit.mutate(v))} noValidate>
          <Stack gap="sm">
            <TextInput label="Title" {...form.getInputProps('title')} />
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              <Select
                label="Type"
                allowDeselect={false}
                data={INCIDENT_TYPES.map((t) => ({ value: t, label: INCIDENT_TYPE_LABELS[t] }))}
                {...form.getInputProps('type')}
                onChange={(v) => form.setFieldValue('type', (v ?? '') as IncidentType)}
              />
              <Select
                label="Store"
                searchable
                allowDeselect={false}
                data={[...(me.data?.storeId ? [] : [{ value: HQ, label: 'Headquarters / several stores' }]), ...storeOptions(stores.data)]}
                {...form.getInputProps('storeId')}
                onChange={(v) => form.setFieldValue('storeId', v ?? HQ)}
              />
              <Select
                label="Lead investigator"
                searchable
                allowDeselect={false}
                data={(people.data ?? []).map((p) => ({ value: p.id, label: `${p.name} · ${p.departmentName ?? ''}` }))}
                {...form.getInputProps('leadId')}
                onChange={(v) => form.setFieldValue('leadId', v ?? '')}
              />
              <Select
                label="Subject"
                allowDeselect={false}
                data={SUBJECT_KINDS.map((k) => ({ value: k, label: SUBJECT_KIND_LABELS[k] }))}
                {...form.getInputProps('subjectKind')}
                onChange={(v) => form.setFieldValue('subjectKind', (v ?? 'unknown') as Values['subjectKind'])}
              />
            </SimpleGrid>
            <TextInput label="Subject's name" description="If known" {...form.getInputProps('subjectName')} />
            <Textarea label="Subject description" autosize minRows={2} {...form.getInputProps('subjectDescription')} />
            <Textarea label="Summary" autosize minRows={3} {...form.getInputProps('summary')} />
            <Group justify="flex-end">
              <Button type="submit" loading={submit.isPending}>
                Open case
              </Button>
            </Group>
          </Stack>
        </form>
      </Card>
      <Text size="xs" c="dimmed">
        Members, tasks, evidence and referrals are added on the case page.
      </Text>
    </Stack>
  );
}
