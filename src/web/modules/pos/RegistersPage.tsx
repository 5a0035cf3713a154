import { Badge, Card, Select, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { REGISTER_TYPES, type PosRegister } from '../../../contracts/pos';
import { api, get } from '../../api';
import { EmptyRow } from '../../ui/list';
import { useCan } from '../../ui/me';
import { notifyError, notifySuccess } from '../../ui/notify';
import { PageHeader } from '../../ui/PageHeader';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { useInvalidatePos } from './shared';

const TYPE_LABELS: Record<PosRegister['type'], string> = { lane: 'Lane', service_desk: 'Service desk', self_checkout: 'Self-checkout supervision' };

/**
 * Register types behind the peer groups: a register with most of a store's returns is proposed as
 * its service desk; an LP lead confirms it or sets the right type.
 */
export function RegistersPage() {
  const canSet = useCan('pos:settings');
  const invalidate = useInvalidatePos();
  const registers = useQuery({ queryKey: ['/api/pos/registers'], queryFn: ({ signal }) => get<PosRegister[]>('/api/pos/registers', undefined, signal) });
  const save = useMutation({
    mutationFn: (v: { storeId: string; register: string; type: PosRegister['type'] }) => api<PosRegister>(`/api/pos/stores/${v.storeId}/registers/${encodeURIComponent(v.register)}`, { method: 'PUT', body: { type: v.type } }),
    onSuccess: (r) => {
      notifySuccess(`Register ${r.register} of ${r.storeCode} confirmed as ${TYPE_LABELS[r.type].toLowerCase()}`);
      invalidate();
      void registers.refetch();
    },
    onError: (err) => notifyError(err),
  });
  if (registers.isPending) return <PageLoader />;
  if (registers.isError) return <QueryError error={registers.error} retry={() => void registers.refetch()} />;
  const proposed = registers.data.filter((r) => r.status === 'proposed').length;
  return (
    <Stack>
      <PageHeader
        title="Registers"
        description={`Cashiers are compared with people who work the same kind of register. ${proposed ? `${proposed} proposed type${proposed === 1 ? '' : 's'} to confirm.` : registers.data.length ? 'Every register type is confirmed.' : ''} Registers not listed are lanes.`}
      />
      <Card padding={0} withBorder>
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing="sm" data-testid="registers-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Store</Table.Th>
                <Table.Th>Register</Table.Th>
                <Table.Th>Type</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Why</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {registers.data.length === 0 && <EmptyRow colSpan={5}>No register has a type yet: every register counts as a lane until POS data shows a service desk.</EmptyRow>}
              {registers.data.map((r) => (
                <Table.Tr key={`${r.storeId}/${r.register}`}>
                  <Table.Td>{r.storeCode}</Table.Td>
                  <Table.Td>{r.register}</Table.Td>
                  <Table.Td>
                    {canSet ? (
                      <Select
                        aria-label={`Type of register ${r.register} of ${r.storeCode}`}
                        data={REGISTER_TYPES.map((t) => ({ value: t, label: TYPE_LABELS[t] }))}
                        value={r.type}
                        allowDeselect={false}
                        disabled={save.isPending}
                        onChange={(v) => v && save.mutate({ storeId: r.storeId, register: r.register, type: v as PosRegister['type'] })}
                        w={230}
                      />
                    ) : (
                      TYPE_LABELS[r.type]
                    )}
                  </Table.Td>
                  <Table.Td>
                    {r.status === 'proposed' ? (
                      <Badge color="yellow" variant="light">
                        Proposed
                      </Badge>
                    ) : (
                      <Text size="sm">Confirmed{r.confirmedByName ? ` by ${r.confirmedByName}` : ''}</Text>
                    )}
                  </Table.Td>
                  <Table.Td maw={360}>
                    <Text size="sm" c={r.reason ? undefined : 'dimmed'}>
                      {r.reason || '—'}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
    </Stack>
  );
}
