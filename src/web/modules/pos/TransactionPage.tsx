import { Card, Grid, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import type { PosTransaction } from '../../../contracts/pos';
import { get } from '../../api';
import { AnchorLink } from '../../ui/AnchorLink';
import { PageLoader, QueryError } from '../../ui/StatusPages';
import { PageBreadcrumbs } from '../../ui/PageBreadcrumbs';
import { flagExplanation } from './ExceptionPage';
import { formatMoney, Receipt, ruleLabel, TYPE_LABELS, VideoButton } from './shared';
import { usePosSettings } from './usePos';

const route = getRouteApi('/_app/pos/transactions/$id');

/** One POS transaction: the receipt, why it was flagged (if it was) and its video. */
export function TransactionPage() {
  const { id } = route.useParams();
  const settings = usePosSettings();
  const txn = useQuery({ queryKey: ['/api/pos/transactions', id], queryFn: ({ signal }) => get<PosTransaction>(`/api/pos/transactions/${id}`, undefined, signal) });
  if (txn.isPending) return <PageLoader />;
  if (txn.isError) return <QueryError error={txn.error} retry={() => void txn.refetch()} what="transaction" />;
  const t = txn.data;
  return (
    <Stack gap="lg">
      <PageBreadcrumbs to="/pos" label="Cashier monitoring" current={`Transaction ${t.transactionNumber}`}>
        <AnchorLink to="/pos/stores/$id" params={{ id: t.storeId }} size="sm">
          {t.storeCode}
        </AnchorLink>
      </PageBreadcrumbs>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={1} size="h2">
            {TYPE_LABELS[t.type]} · {formatMoney(t.totalCents)}
          </Title>
          <Text c="dimmed" size="sm">
            {t.storeCode} · register {t.register} · {t.cashierName || t.cashierCode} · {t.localStart} store time{t.storeTimezone ? ` (${t.storeTimezone})` : ''}
          </Text>
        </Stack>
        <VideoButton url={t.videoUrl} size="md" />
      </Group>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Card padding="lg">
            <Receipt txn={t} />
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Card padding="lg">
            <Title order={5} mb="sm">
              {t.flags.length ? 'Why it was flagged' : 'Not flagged'}
            </Title>
            {t.flags.length === 0 ? (
              <Text size="sm" c="dimmed">
                No rule flagged this transaction. It still counts in the cashier's rates (refunds, voids, overrides…).
              </Text>
            ) : (
              <Stack gap="xs">
                {t.flags.map((f) => (
                  <Text key={f} size="sm">
                    <Text span fw={600}>
                      {ruleLabel(f)}.
                    </Text>{' '}
                    {flagExplanation(f, t, settings.data)}
                  </Text>
                ))}
              </Stack>
            )}
          </Card>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
