import { Button, Checkbox, Group, Select, Text, VisuallyHidden } from '@mantine/core';
import { IconCheck } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { MeetingAction } from '../../../contracts/meetings';
import { patch } from '../../api';
import { AnchorLink } from '../../ui/AnchorLink';
import { FilterGrid, FilterPanel, SearchInput } from '../../ui/filters';
import { formatDay } from '../../ui/format';
import { ExportButton, ListTable, ListTools, useUrlList, useUrlText } from '../../ui/list';
import { useMe } from '../../ui/me';
import { notifyError, notifySuccess } from '../../ui/notify';
import { PageHeader } from '../../ui/PageHeader';
import { ActionStatusBadge, MeetingsTabs } from './shared';


/** Meeting actions: status (open by default), "only mine", "only overdue", q, sort and page live in the URL. */
export function ActionsPage() {
  const me = useMe();
  const queryClient = useQueryClient();
  const list = useUrlList<MeetingAction, 'dueDate' | 'createdAt'>({ key: 'meeting-actions', path: '/api/meetings/actions', sort: { sort: 'dueDate', order: 'asc' }, views: true, defaults: { status: 'open' } });
  const q = useUrlText(list);
  const close = useMutation({
    mutationFn: (a: MeetingAction) => patch<MeetingAction>(`/api/meetings/actions/${a.id}`, { status: 'done' }),
    onSuccess: (a) => {
      notifySuccess(`${a.ref} done`);
      void queryClient.invalidateQueries({ queryKey: ['/api/meetings/actions'] });
    },
    onError: (err) => notifyError(err),
  });

  return (
    <>
      <PageHeader title="Meeting actions" description="Every action agreed in a joint meeting, tracked across meetings until it is done." actions={<ExportButton href={list.exportHref} />} />
      <MeetingsTabs />
      <FilterPanel>
        <Group mb="sm" justify="space-between">
          <Group gap="lg">
            <Checkbox label="Only mine" checked={list.params.mine === 'true'} onChange={(e) => list.set({ mine: e.currentTarget.checked })} />
            <Checkbox label="Only overdue" color="red" checked={list.params.overdue === 'true'} onChange={(e) => list.set({ overdue: e.currentTarget.checked })} />
          </Group>
          <ListTools list={list} />
        </Group>
        <FilterGrid cols={{ base: 1, sm: 2 }}>
          <SearchInput placeholder="Action or ACT-12" {...q} />
          <Select
            label="Status"
            placeholder="All actions"
            clearable
            data={[
              { value: 'open', label: 'Open' },
              { value: 'done', label: 'Done' },
            ]}
            {...list.field('status')}
          />
        </FilterGrid>
      </FilterPanel>
      <ListTable
        list={list}
        testId="actions"
        minWidth={720}
        noun="actions"
        empty="No actions match these filters."
        columns={[
          {
            key: 'title',
            header: 'Action',
            cell: (a) => (
              <>
                <Text size="sm" fw={500}>
                  {a.title}
                </Text>
                <Text size="xs" c="dimmed">
                  {a.ref}
                </Text>
              </>
            ),
          },
          { key: 'owner', header: 'Owner', cell: (a) => a.owner.name },
          { key: 'due', header: 'Due', sort: 'dueDate', nowrap: true, cell: (a) => formatDay(a.dueDate) },
          { key: 'status', header: 'Status', cell: (a) => <ActionStatusBadge action={a} /> },
          {
            key: 'from',
            header: 'From',
            cell: (a) => (
              <AnchorLink to="/meetings/occurrences/$id" params={{ id: a.occurrenceId }} size="sm">
                {a.seriesTitle}, {formatDay(a.occurrenceDate)}
              </AnchorLink>
            ),
          },
          {
            key: 'done',
            header: <VisuallyHidden>Done</VisuallyHidden>,
            cell: (a) =>
              a.status === 'open' &&
              a.owner.id === me.data?.id && (
                <Button size="xs" variant="light" leftSection={<IconCheck size={14} />} onClick={() => close.mutate(a)} loading={close.isPending && close.variables?.id === a.id}>
                  Mark done
                </Button>
              ),
          },
        ]}
      />
    </>
  );
}
