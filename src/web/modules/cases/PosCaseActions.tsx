import { Button, Group, Text } from '@mantine/core';
import { IconBriefcase, IconVideo } from '@tabler/icons-react';
import { useMutation, useQuery } from '@tanstack/react-query';
import type { Case } from '../../../contracts/cases';
import type { Page } from '../../../contracts/list';
import { AnchorLink } from '../../ui/AnchorLink';
import { get, post } from '../../api';
import { ButtonLink } from './shared';
import { useCan } from '../../ui/me';
import { notifyError, notifySuccess } from '../../ui/notify';

function LinkedCases({ query }: { query: Record<string, string> }) {
  const cases = useQuery({ queryKey: ['/api/cases', 'linked', query], queryFn: () => get<Page<Case>>('/api/cases', { ...query, limit: 10 }) });
  if (!cases.data?.items.length) return null;
  return (
    <Text size="sm" data-testid="linked-cases">
      Cases:{' '}
      {cases.data.items.map((c, i) => (
        <span key={c.id}>
          {i > 0 && ', '}
          <AnchorLink to="/cases/$id" params={{ id: c.ref }} size="sm">
            {c.ref}
          </AnchorLink>
        </span>
      ))}
    </Text>
  );
}

/** On a POS exception: open a case from it (carrying its transaction) and ask IT for the footage in one click. */
export function ExceptionCaseActions({ exceptionId }: { exceptionId: string }) {
  const canRead = useCan('cases:read');
  const canWork = useCan('cases:work');
  const video = useMutation({
    mutationFn: () => post<{ requestRef: string }>('/api/video-requests', { exceptionId }),
    onSuccess: (r) => notifySuccess(`${r.requestRef} sent to IT with the store, camera and time window.`, 'Video export requested'),
    onError: (err) => notifyError(err),
  });
  if (!canRead) return null;
  return (
    <Group gap="xs">
      {canWork && (
        <>
          <ButtonLink to="/cases/new" search={{ exception: exceptionId }} leftSection={<IconBriefcase size={16} />} variant="light">
            Open a case
          </ButtonLink>
          <Button variant="default" leftSection={<IconVideo size={16} />} loading={video.isPending} onClick={() => video.mutate()}>
            Ask IT for video export
          </Button>
        </>
      )}
      <LinkedCases query={{ exceptionId }} />
    </Group>
  );
}

/** On a cashier's page: open a case about them, carrying their flagged transactions. */
export function CashierCaseActions({ cashierId }: { cashierId: string }) {
  const canRead = useCan('cases:read');
  const canWork = useCan('cases:work');
  if (!canRead) return null;
  return (
    <Group gap="xs">
      <LinkedCases query={{ cashierId }} />
      {canWork && (
        <ButtonLink to="/cases/new" search={{ cashier: cashierId }} leftSection={<IconBriefcase size={16} />} variant="light">
          Open a case
        </ButtonLink>
      )}
    </Group>
  );
}
