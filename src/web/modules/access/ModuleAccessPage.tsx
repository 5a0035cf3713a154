import { Badge, Card, Group, ScrollArea, Select, Stack, Table, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { MODULE_ACCESS_LABELS, MODULE_KEYS, MODULE_LABELS, type ModuleAccess, type ModuleKey } from '../../../contracts/policy';
import type { DepartmentAccess } from '../../../contracts/scope';
import { get, patch } from '../../api';
import { useCan } from '../../ui/me';
import { notifyError, notifySuccess } from '../../ui/notify';
import { PageHeader } from '../../ui/PageHeader';
import { PageLoader, QueryError } from '../../ui/StatusPages';

const COLORS: Record<ModuleAccess, string> = { none: 'gray', read: 'blue', work: 'teal' };
const DEFAULT = 'default';

/** Which department may read or work in which module: admins change it here, everyone may read it. */
export function ModuleAccessPage() {
  const canManage = useCan('scope:manage');
  const client = useQueryClient();
  const matrix = useQuery({ queryKey: ['module-access'], queryFn: ({ signal }) => get<DepartmentAccess[]>('/api/module-access', undefined, signal) });
  const save = useMutation({
    mutationFn: (v: { departmentId: string; module: ModuleKey; access: ModuleAccess | null }) => patch<DepartmentAccess[]>('/api/module-access', v),
    onSuccess: (data, v) => {
      client.setQueryData(['module-access'], data);
      void client.invalidateQueries({ queryKey: ['me'] });
      const d = data.find((x) => x.departmentId === v.departmentId);
      const m = d?.modules.find((x) => x.module === v.module);
      notifySuccess(`${d?.name}: ${MODULE_LABELS[v.module]} is now “${MODULE_ACCESS_LABELS[m?.access ?? 'none']}”`);
    },
    onError: (err) => notifyError(err),
  });
  if (matrix.isPending) return <PageLoader />;
  if (matrix.isError) return <QueryError error={matrix.error} retry={() => void matrix.refetch()} />;

  return (
    <Stack gap="md">
      <PageHeader
        title="Module access"
        description="Which department reads or works in each module. Roles still apply on top: viewers only read, store staff only use ideas, and people attached to a store see that store’s records only. Cashier monitoring and cases belong to loss prevention and security operations unless granted here."
      />
      <Card padding={0}>
        <ScrollArea>
          <Table striped verticalSpacing="xs" miw={760} data-testid="module-access">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Module</Table.Th>
                {matrix.data.map((d) => (
                  <Table.Th key={d.departmentId}>{d.name}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {MODULE_KEYS.map((module) => (
                <Table.Tr key={module}>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {MODULE_LABELS[module]}
                    </Text>
                  </Table.Td>
                  {matrix.data.map((d) => {
                    const cell = d.modules.find((m) => m.module === module)!;
                    if (!canManage)
                      return (
                        <Table.Td key={d.departmentId}>
                          <Badge variant="light" color={COLORS[cell.access]}>
                            {MODULE_ACCESS_LABELS[cell.access]}
                          </Badge>
                        </Table.Td>
                      );
                    const options = [
                      { value: DEFAULT, label: `Default (${MODULE_ACCESS_LABELS[cell.defaultAccess]})` },
                      ...(['none', 'read', 'work'] as const).map((a) => ({ value: a, label: MODULE_ACCESS_LABELS[a], disabled: cell.minimum === 'read' && a === 'none' })),
                    ];
                    return (
                      <Table.Td key={d.departmentId}>
                        <Group gap={4} wrap="nowrap">
                          <Select
                            size="xs"
                            w={150}
                            aria-label={`${d.name}: ${MODULE_LABELS[module]}`}
                            data={options}
                            value={cell.custom ? cell.access : DEFAULT}
                            allowDeselect={false}
                            onChange={(v) => v && save.mutate({ departmentId: d.departmentId, module, access: v === DEFAULT ? null : (v as ModuleAccess) })}
                          />
                        </Group>
                      </Table.Td>
                    );
                  })}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      </Card>
    </Stack>
  );
}
