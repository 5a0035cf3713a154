import { Button, Card, Checkbox, Select, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconCheck } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { useState } from 'react';
import type { MeetingAction } from '../../../contracts/meetings';
import { patch } from '../../api';
import { AnchorLink } from '../../ui/AnchorLink';
import { FilterGrid, FilterPanel, SearchInput } from '../../ui/filters';
import { EmptyRow, ExportButton, ListFooter, useCursorList } from '../../ui/list';
import { useMe } from '../../ui/me';
import { notifyError, notifySuccess } from '../../ui/notify';
import { PageHeader } from '../../ui/PageHeader';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { ActionStatusBadge, MeetingsTabs } from './shared';


const route = getRouteApi('/_app/meetings/actions');

export function ActionsPage() {
  const search = route.useSearch();
  const me = useMe();
  const queryClient = useQueryClient();
  const [q, setQ] = useState('');
  const [debouncedQ] = useDebouncedValue(q, 300);
  const [status, setStatus] = useState<string | null>('open');
  const [mine, setMine] = useState(!!search.mine);
  const [overdue, setOverdue] = useState(!!search.overdue);
  const filters = { q: debouncedQ.trim(), status, mine: mine ? 'true' : undefined, overdue: overdue ? 'true' : undefined, sort: 'dueDate' };
  const list = useCursorList<MeetingAction>('/api/meetings/actions', filters, 50);
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
      <PageHeader title="Meeting actions" description="Every action agreed in a joint meeting, tracked across meetings until it is done." actions={<ExportButton path="/api/meetings/actions/export" filters={filters} />} />
      <MeetingsTabs />
      <FilterPanel>
        <FilterGrid cols={{ base: 1, sm: 2, md: 4 }}>
          <SearchInput placeholder="Action or ACT-12" value={q} onChange={setQ} />
          <Select
            label="Status"
            placeholder="All actions"
            clearable
            data={[
              { value: 'open', label: 'Open' },
              { value: 'done', label: 'Done' },
            ]}
            value={status}
            onChange={setStatus}
          />
          <Stack justify="flex-end">
            <Checkbox label="Only mine" checked={mine} onChange={(e) => setMine(e.currentTarget.checked)} />
          </Stack>
          <Stack justify="flex-end">
            <Checkbox label="Only overdue" checked={overdue} onChange={(e) => setOverdue(e.currentTarget.checked)} />
          </Stack>
        </FilterGrid>
      </FilterPanel>
      {list.isPending ? (
        <PageLoader embedded />
      ) : list.isError ? (
        <QueryError embedded error={list.error} retry={() => void list.refetch()} />
      ) : (
        <Card padding="lg" mt="md">
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing="sm" highlightOnHover data-testid="actions">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Action</Table.Th>
                  <Table.Th>Owner</Table.Th>
                  <Table.Th>Due</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>From</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Done</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.items.length === 0 && <EmptyRow colSpan={6}>No actions match.</EmptyRow>}
                {list.items.map((a) => (
                  <Table.Tr key={a.id}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {a.title}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {a.ref}
                      </Text>
                    </Table.Td>
                    <Table.Td>{a.owner.name}</Table.Td>
                    <Table.Td>{a.dueDate}</Table.Td>
                    <Table.Td>
                      <ActionStatusBadge action={a} />
                    </Table.Td>
                    <Table.Td>
                      <AnchorLink to="/meetings/occurrences/$id" params={{ id: a.occurrenceId }} size="sm">
                        {a.seriesTitle}, {a.occurrenceDate}
                      </AnchorLink>
                    </Table.Td>
                    <Table.Td>
                      {a.status === 'open' && a.owner.id === me.data?.id && (
                        <Button size="xs" variant="light" leftSection={<IconCheck size={14} />} onClick={() => close.mutate(a)} loading={close.isPending && close.variables?.id === a.id}>
                          Mark done
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <ListFooter list={list} noun="actions" />
        </Card>
      )}
    </>
  );
}
