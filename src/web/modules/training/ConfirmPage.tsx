import { Badge, Button, Card, Group, Select, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Rating } from '../../../contracts/training';
import { post } from '../../api';
import { fromNow } from '../../ui/format';
import { EmptyRow, ExportButton, ListPager, useUrlList } from '../../ui/list';
import { notifyError, notifySuccess } from '../../ui/notify';
import { PageHeader } from '../../ui/PageHeader';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { levelOptions, TrainingTabs } from './shared';

export function ConfirmPage() {
  const list = useUrlList<Rating, 'selfRatedAt'>({
    key: 'training-ratings',
    path: '/api/training/ratings',
    sort: { sort: 'selfRatedAt', order: 'desc' },
    toQuery: ({ status, ...rest }) => ({ ...rest, status: status ?? 'pending' }),
  });
  const status = list.params.status ?? 'pending';
  return (
    <>
      <PageHeader title="Confirm ratings" description="Self-ratings of your department. Confirm the level, or change it and say why." actions={<ExportButton href={list.exportHref} />} />
      <TrainingTabs />
      <Group mb="md">
        <Select
          label="Show"
          allowDeselect={false}
          data={[
            { value: 'pending', label: 'Awaiting confirmation' },
            { value: 'confirmed', label: 'Confirmed' },
          ]}
          value={status}
          onChange={(v) => list.set({ status: v === 'pending' ? null : v })}
        />
      </Group>
      {list.query.isPending ? (
        <PageLoader embedded />
      ) : list.query.isError ? (
        <QueryError embedded error={list.query.error} retry={() => void list.query.refetch()} />
      ) : (
        <Card padding="lg">
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing="sm" data-testid="ratings">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Person</Table.Th>
                  <Table.Th>Skill</Table.Th>
                  <Table.Th>Self</Table.Th>
                  <Table.Th>Target</Table.Th>
                  <Table.Th>Confirm</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.items.length === 0 && <EmptyRow colSpan={5}>Nothing to confirm.</EmptyRow>}
                {list.items.map((r) => (
                  <ConfirmRow key={`${r.personId}:${r.skillId}`} rating={r} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <ListPager list={list} noun="ratings" />
        </Card>
      )}
    </>
  );
}

function ConfirmRow({ rating }: { rating: Rating }) {
  const queryClient = useQueryClient();
  const [level, setLevel] = useState(String(rating.status === 'pending' ? rating.selfLevel : (rating.confirmedLevel ?? rating.selfLevel)));
  const [note, setNote] = useState(rating.note ?? '');
  const [noteError, setNoteError] = useState<string | null>(null);
  const confirm = useMutation({
    mutationFn: () => post<Rating>('/api/training/ratings/confirm', { personId: rating.personId, skillId: rating.skillId, level: Number(level), note }),
    onSuccess: () => {
      notifySuccess(`${rating.personName}: ${rating.skillName} confirmed at ${level}`);
      void queryClient.invalidateQueries({ queryKey: ['/api/training/ratings'] });
    },
    onError: (err) => {
      const problem = (err as { problems?: Array<{ field: string; message: string }> }).problems?.find((p) => p.field === 'note');
      if (problem) setNoteError(problem.message);
      else notifyError(err);
    },
  });
  const changed = Number(level) !== rating.selfLevel;
  return (
    <Table.Tr data-testid={`rating-${rating.personName}-${rating.skillName}`}>
      <Table.Td>
        <Text fw={500}>{rating.personName}</Text>
        <Text size="xs" c="dimmed">
          {rating.departmentName} · rated {fromNow(rating.selfRatedAt)}
        </Text>
      </Table.Td>
      <Table.Td>{rating.skillName}</Table.Td>
      <Table.Td>
        <Badge variant="light">{rating.selfLevel}</Badge>
      </Table.Td>
      <Table.Td>{rating.target ?? '—'}</Table.Td>
      <Table.Td>
        <Group gap="xs" wrap="nowrap" align="flex-start">
          <Select aria-label={`Confirmed level for ${rating.personName} in ${rating.skillName}`} data={levelOptions} value={level} onChange={(v) => v && setLevel(v)} allowDeselect={false} w={170} />
          <TextInput
            aria-label={`Note for ${rating.personName} in ${rating.skillName}`}
            placeholder={changed ? 'Why the change (required)' : 'Note (optional)'}
            value={note}
            error={noteError}
            onChange={(e) => {
              setNote(e.currentTarget.value);
              setNoteError(null);
            }}
            w={220}
          />
          <Button onClick={() => confirm.mutate()} loading={confirm.isPending} variant={changed ? 'filled' : 'light'}>
            {changed ? 'Change' : 'Confirm'}
          </Button>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
