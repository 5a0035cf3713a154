import { Badge, Button, Checkbox, Group, Modal, Select, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconPlus } from '@tabler/icons-react';
import { useNavigate } from '@tanstack/react-router';
import type { SeriesSummary } from '../../../contracts/meetings';
import { AnchorLink } from '../../ui/AnchorLink';
import { FilterGrid, FilterPanel, SearchInput } from '../../ui/filters';
import { ExportButton, ListTable, ListTools, useUrlList, useUrlText } from '../../ui/list';
import { useCan } from '../../ui/me';
import { PageHeader } from '../../ui/PageHeader';
import { SeriesForm } from './SeriesForm';
import { localText, MeetingsTabs, zoneText } from './shared';

/** The meeting series: status (active by default), "only mine", q, sort and page live in the URL. */
export function MeetingsPage() {
  const canManage = useCan('meetings:manage');
  const list = useUrlList<SeriesSummary, 'title' | 'createdAt'>({ key: 'meeting-series', path: '/api/meetings/series', sort: { sort: 'title', order: 'asc' }, defaults: { status: 'active' } });
  const q = useUrlText(list);
  const [open, modal] = useDisclosure(false);
  const navigate = useNavigate();

  return (
    <>
      <PageHeader
        title="Joint meetings"
        description="Recurring LP–IT meetings: the agenda suggests itself from live data; minutes, decisions and actions are followed to the end."
        actions={
          <>
            <ExportButton href={list.exportHref} />
            {canManage && (
              <Button leftSection={<IconPlus size={16} />} onClick={modal.open}>
                New series
              </Button>
            )}
          </>
        }
      />
      <MeetingsTabs />
      <FilterPanel>
        <Group mb="sm" justify="space-between">
          <Checkbox label="Only series I attend" checked={list.params.mine === 'true'} onChange={(e) => list.set({ mine: e.currentTarget.checked })} />
          <ListTools list={list} />
        </Group>
        <FilterGrid cols={{ base: 1, sm: 2 }}>
          <SearchInput placeholder="Title or MTG-2" {...q} />
          <Select
            label="Status"
            placeholder="All series"
            clearable
            data={[
              { value: 'active', label: 'Active' },
              { value: 'ended', label: 'Ended' },
            ]}
            {...list.field('status')}
          />
        </FilterGrid>
      </FilterPanel>
      <ListTable
        list={list}
        testId="series"
        minWidth={720}
        noun="series"
        empty="No meeting series match these filters."
        columns={[
          {
            key: 'title',
            header: 'Series',
            sort: 'title',
            cell: (s) => (
              <>
                <AnchorLink to="/meetings/series/$id" params={{ id: s.id }} fw={600}>
                  {s.title}
                </AnchorLink>
                <Text size="xs" c="dimmed">
                  {s.ref} · {s.attendeeCount} attendees
                </Text>
              </>
            ),
          },
          {
            key: 'cadence',
            header: 'Cadence',
            cell: (s) => (
              <>
                <Text size="sm">{s.cadenceLabel}</Text>
                <Text size="xs" c="dimmed">
                  {s.localTime} {zoneText(s.timezone)} · {s.durationMinutes} min
                </Text>
              </>
            ),
          },
          {
            key: 'next',
            header: 'Next meeting',
            cell: (s) =>
              s.nextOccurrence ? (
                <AnchorLink to="/meetings/occurrences/$id" params={{ id: s.nextOccurrence.id }}>
                  {localText(s.nextOccurrence.localStart)}
                </AnchorLink>
              ) : (
                <Text size="sm" c="dimmed">
                  {s.status === 'ended' ? 'Ended' : 'None scheduled'}
                </Text>
              ),
          },
          { key: 'chair', header: 'Chair', cell: (s) => s.chair.name },
          { key: 'departments', header: 'Departments', cell: (s) => <Text size="sm">{s.departments.join(', ')}</Text> },
          {
            key: 'actions',
            header: 'Open actions',
            cell: (s) => (
              <Group gap={6}>
                <Text size="sm">{s.openActions}</Text>
                {s.overdueActions > 0 && (
                  <Badge color="red" variant="light">
                    {s.overdueActions} overdue
                  </Badge>
                )}
              </Group>
            ),
          },
        ]}
      />
      <Modal opened={open} onClose={modal.close} title="New meeting series" size="lg">
        {open && (
          <SeriesForm
            onCancel={modal.close}
            onSaved={(s) => {
              modal.close();
              void navigate({ to: '/meetings/series/$id', params: { id: s.id } });
            }}
          />
        )}
      </Modal>
    </>
  );
}
