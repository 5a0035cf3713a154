import { Alert, Anchor, Badge, Button, Code, Group, List, Modal, NumberInput, ScrollArea, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle, IconPlus, IconTrash, IconUpload } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { BUDGET_CATEGORIES, BUDGET_CATEGORY_LABELS, BUDGET_CSV_COLUMNS, BUDGET_KIND_LABELS, BUDGET_KINDS, type Alignment, type BudgetLine, type LpPriority } from '../../../contracts/budget';
import { api, ApiRequestError, get, isApiError, post } from '../../api';
import { FilterGrid, FilterPanel, SearchInput } from '../../ui/filters';
import { formatMoney } from '../../ui/format';
import { applyServerErrors } from '../../ui/forms';
import { ExportButton, ListTable, ListTools, useUrlList, useUrlText } from '../../ui/list';
import { useCan } from '../../ui/me';
import { notifySuccess } from '../../ui/notify';
import { PageHeader } from '../../ui/PageHeader';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { currentFiscalYear, ShareHeadline, yearOptions } from './shared';

type SortKey = 'amountCents' | 'title' | 'number';

export function usePriorities() {
  return useQuery({ queryKey: ['/api/budget/priorities'], queryFn: ({ signal }) => get<{ items: LpPriority[] }>('/api/budget/priorities', undefined, signal), staleTime: 60_000 });
}

/** IT's budget lines: fiscal year (this one by default), kind, category, tagging, q, sort and page live in the URL. */
export function BudgetPage() {
  const canEdit = useCan('budget:edit');
  const [editing, setEditing] = useState<BudgetLine | 'new' | null>(null);
  const [importing, setImporting] = useState(false);
  const list = useUrlList<BudgetLine, SortKey>({ key: 'budget-lines', path: '/api/budget/lines', sort: { sort: 'amountCents', order: 'desc' }, views: true, defaults: { fiscalYear: String(currentFiscalYear()) } });
  const q = useUrlText(list);
  const year = Number(list.filterParams.fiscalYear) || currentFiscalYear();
  const alignment = useQuery({ queryKey: ['/api/budget/alignment', year], queryFn: ({ signal }) => get<Alignment>('/api/budget/alignment', { fiscalYear: year }, signal) });

  if (alignment.isPending) return <PageLoader />;
  if (alignment.isError) return <QueryError error={alignment.error} retry={() => void alignment.refetch()} />;
  const a = alignment.data;

  return (
    <>
      <PageHeader
        title="IT budget"
        description="IT's budget lines per fiscal year, each tagged with the LP priorities it serves and the share of it that does."
        actions={
          <>
            <ExportButton href={list.exportHref} />
            {canEdit && (
              <Button variant="default" leftSection={<IconUpload size={16} />} onClick={() => setImporting(true)}>
                Import CSV
              </Button>
            )}
            {canEdit && (
              <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
                New line
              </Button>
            )}
          </>
        }
      />
      <Stack gap="lg">
        <ShareHeadline fiscalYear={a.fiscalYear} lpPercent={a.lpPercent} lpCents={a.lpCents} totalCents={a.totalCents} />
        <FilterPanel>
          <Group mb="sm" justify="flex-end">
            <ListTools list={list} />
          </Group>
          <FilterGrid cols={{ base: 1, xs: 2, md: 5 }}>
            <Select label="Fiscal year" data={yearOptions(a.years.map((y) => y.fiscalYear))} value={String(year)} onChange={(v) => v && list.set({ fiscalYear: v })} allowDeselect={false} />
            <SearchInput placeholder="Title, vendor or BUD-12" {...q} />
            <Select label="Capex / opex" placeholder="Both" clearable data={BUDGET_KINDS.map((k) => ({ value: k, label: BUDGET_KIND_LABELS[k] }))} {...list.field('kind')} />
            <Select label="Category" placeholder="All" clearable data={BUDGET_CATEGORIES.map((c) => ({ value: c, label: BUDGET_CATEGORY_LABELS[c] }))} {...list.field('category')} />
            <Select
              label="LP priorities"
              placeholder="Any"
              clearable
              data={[
                { value: 'true', label: 'Serves LP priorities' },
                { value: 'false', label: 'Not tagged' },
              ]}
              {...list.field('tagged')}
            />
          </FilterGrid>
        </FilterPanel>
        <div>
          <ListTable
            list={list}
            testId="budget-table"
            minWidth={900}
            noun="budget lines"
            empty={`No budget lines for FY${year} match these filters.`}
            onRowClick={canEdit ? setEditing : undefined}
            columns={[
              { key: 'ref', header: 'Ref', sort: 'number', nowrap: true, cell: (l) => <Text ff="monospace" size="sm">{l.ref}</Text> },
              {
                key: 'title',
                header: 'Line',
                sort: 'title',
                cell: (l) => (
                  <>
                    {canEdit ? (
                      <Anchor component="button" type="button" size="sm" fw={600} ta="left" onClick={() => setEditing(l)}>
                        {l.title}
                      </Anchor>
                    ) : (
                      <Text size="sm" fw={600}>
                        {l.title}
                      </Text>
                    )}
                    <Text size="xs" c="dimmed">
                      {[l.vendor, BUDGET_CATEGORY_LABELS[l.category], l.ownerName, l.projectRef].filter(Boolean).join(' · ')}
                    </Text>
                  </>
                ),
              },
              { key: 'kind', header: 'Kind', cell: (l) => BUDGET_KIND_LABELS[l.kind] },
              { key: 'amount', header: 'Amount', sort: 'amountCents', align: 'right', nowrap: true, cell: (l) => formatMoney(l.amountCents) },
              {
                key: 'tags',
                header: 'LP priorities served',
                cell: (l) => (
                  <Group gap={4}>
                    {l.tags.length === 0 && (
                      <Text size="xs" c="dimmed">
                        —
                      </Text>
                    )}
                    {l.tags.map((t) => (
                      <Badge key={t.priorityId} variant="light" size="sm">
                        {t.priorityName} {t.sharePercent} %
                      </Badge>
                    ))}
                  </Group>
                ),
              },
              { key: 'lp', header: 'On LP', align: 'right', nowrap: true, cell: (l) => (l.lpCents ? formatMoney(l.lpCents) : '—') },
            ]}
          />
        </div>
      </Stack>
      {editing && <LineModal line={editing === 'new' ? null : editing} fiscalYear={year} onClose={() => setEditing(null)} />}
      <ImportModal opened={importing} fiscalYear={year} onClose={() => setImporting(false)} />
    </>
  );
}

function LineModal({ line, fiscalYear, onClose }: { line: BudgetLine | null; fiscalYear: number; onClose: () => void }) {
  const priorities = usePriorities();
  const queryClient = useQueryClient();
  const form = useForm({
    initialValues: {
      kind: line?.kind ?? 'capex',
      title: line?.title ?? '',
      vendor: line?.vendor ?? '',
      category: line?.category ?? 'security',
      amount: (line ? line.amountCents / 100 : '') as number | string,
      project: line?.projectRef ?? '',
      tags: (line?.tags ?? []).map((t) => ({ priorityId: t.priorityId, sharePercent: t.sharePercent as number | string })),
    },
  });
  const invalidate = () => {
    void queryClient.invalidateQueries({ queryKey: ['/api/budget/lines'] });
    void queryClient.invalidateQueries({ queryKey: ['/api/budget/alignment'] });
  };
  const save = useMutation({
    mutationFn: (v: typeof form.values) => {
      const body = {
        kind: v.kind,
        title: v.title,
        vendor: v.vendor,
        category: v.category,
        amountCents: Math.round(Number(v.amount) * 100),
        project: v.project.trim() || null,
        tags: v.tags.filter((t) => t.priorityId).map((t) => ({ priorityId: t.priorityId, sharePercent: Number(t.sharePercent) })),
      };
      return line ? api<BudgetLine>(`/api/budget/lines/${line.id}`, { method: 'PATCH', body }) : post<BudgetLine>('/api/budget/lines', { ...body, fiscalYear, ownerId: null });
    },
    onSuccess: (l) => {
      invalidate();
      notifySuccess(`${l.ref} saved`);
      onClose();
    },
    onError: (err) => applyServerErrors(form, err, { amountCents: 'amount' }),
  });
  const remove = useMutation({
    mutationFn: () => api(`/api/budget/lines/${line!.id}`, { method: 'DELETE' }),
    onSuccess: () => {
      invalidate();
      onClose();
    },
  });
  const options = (priorities.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }));
  return (
    <Modal opened onClose={onClose} title={line ? `Edit ${line.ref}` : `New budget line, FY${fiscalYear}`} size="lg">
      <form onSubmit={form.onSubmit((v) => save.mutate(v))}>
        <Stack>
          <TextInput label="Title" required {...form.getInputProps('title')} />
          <Group grow align="flex-start">
            <Select label="Capex / opex" required data={BUDGET_KINDS.map((k) => ({ value: k, label: BUDGET_KIND_LABELS[k] }))} allowDeselect={false} {...form.getInputProps('kind')} />
            <Select label="Category" required data={BUDGET_CATEGORIES.map((c) => ({ value: c, label: BUDGET_CATEGORY_LABELS[c] }))} allowDeselect={false} {...form.getInputProps('category')} />
          </Group>
          <Group grow align="flex-start">
            <NumberInput label="Amount (USD)" required min={0} decimalScale={2} thousandSeparator="," {...form.getInputProps('amount')} />
            <TextInput label="Vendor" {...form.getInputProps('vendor')} />
          </Group>
          <TextInput label="Project it funds" placeholder="PRJ-2" {...form.getInputProps('project')} />
          <Stack gap="xs">
            <Text size="sm" fw={500}>
              LP priorities this line serves
            </Text>
            <Text size="xs" c="dimmed">
              The share of the amount that serves each priority: a switch refresh may serve cashier monitoring by 30 %. Shares add up to 100 % at most.
            </Text>
            {form.values.tags.map((_, i) => (
              <Group key={i} align="flex-end" gap="xs" wrap="nowrap">
                <Select label={`Priority ${i + 1}`} data={options} style={{ flex: 1 }} {...form.getInputProps(`tags.${i}.priorityId`)} />
                <NumberInput label="Share %" w={100} min={1} max={100} {...form.getInputProps(`tags.${i}.sharePercent`)} />
                <Button variant="subtle" color="gray" aria-label={`Remove priority ${i + 1}`} onClick={() => form.removeListItem('tags', i)}>
                  <IconTrash size={16} />
                </Button>
              </Group>
            ))}
            {form.errors.tags && (
              <Text size="sm" c="red">
                {form.errors.tags}
              </Text>
            )}
            <Group>
              <Button variant="default" size="xs" onClick={() => form.insertListItem('tags', { priorityId: '', sharePercent: 100 })}>
                Add a priority
              </Button>
            </Group>
          </Stack>
          <Group justify="space-between">
            {line ? (
              <Button variant="subtle" color="red" loading={remove.isPending} onClick={() => remove.mutate()}>
                Delete line
              </Button>
            ) : (
              <span />
            )}
            <Group>
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={save.isPending}>
                Save
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function ImportModal({ opened, fiscalYear, onClose }: { opened: boolean; fiscalYear: number; onClose: () => void }) {
  const [csv, setCsv] = useState('');
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: () => post<{ imported: number; totalCents: number }>('/api/budget/lines/import', { fiscalYear, csv }),
    onSuccess: (r) => {
      void queryClient.invalidateQueries({ queryKey: ['/api/budget/lines'] });
      void queryClient.invalidateQueries({ queryKey: ['/api/budget/alignment'] });
      notifySuccess(`${r.imported} lines, ${formatMoney(r.totalCents)}`, `FY${fiscalYear} imported`);
      setCsv('');
      mutation.reset();
      onClose();
    },
  });
  const error = mutation.error;
  const problems = error && isApiError(error) ? error.problems : [];
  const total = error instanceof ApiRequestError ? (error.total ?? problems.length) : 0;
  return (
    <Modal opened={opened} onClose={onClose} title={`Import budget lines for FY${fiscalYear}`} size="xl">
      <Stack>
        <Text size="sm">
          Columns: <Code>{BUDGET_CSV_COLUMNS.join(',')}</Code>. Amounts in dollars (480000.00); priorities as <Code>code:percent</Code> separated by ; (for example{' '}
          <Code>cashier_cctv:30;video_analytics:10</Code>); project as PRJ-2. If any line has a problem, nothing is imported.
        </Text>
        <label>
          <Text size="sm" fw={500} mb={4}>
            CSV file
          </Text>
          <input type="file" accept=".csv,text/csv" onChange={async (e) => setCsv((await e.currentTarget.files?.[0]?.text()) ?? '')} />
        </label>
        <Textarea label="Or paste the CSV" autosize minRows={4} maxRows={12} value={csv} onChange={(e) => setCsv(e.currentTarget.value)} styles={{ input: { fontFamily: 'monospace' } }} />
        {error && (
          <Alert color="red" icon={<IconAlertTriangle />} title={problems.length ? `Nothing was imported: ${total} problem${total === 1 ? '' : 's'}` : 'Import failed'} data-testid="import-problems">
            {problems.length === 0 ? (
              error.message
            ) : (
              <ScrollArea.Autosize mah={240}>
                <List size="sm" spacing={2}>
                  {problems.map((p, i) => (
                    <List.Item key={i}>
                      {p.line !== undefined && <strong>Line {p.line}: </strong>}
                      {p.field && <Code>{p.field}</Code>} {p.message}
                    </List.Item>
                  ))}
                </List>
              </ScrollArea.Autosize>
            )}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button disabled={!csv.trim()} loading={mutation.isPending} onClick={() => mutation.mutate()}>
            Import
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
