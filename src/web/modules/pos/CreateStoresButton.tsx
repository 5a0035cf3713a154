import { Button, Code, Group, Modal, NumberInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { post } from '../../api';
import { useStores } from '../../ui/lookups';
import { useCan } from '../../ui/me';
import { notifyError, notifySuccess } from '../../ui/notify';

/**
 * "Create these stores" for the unknown store codes of an import (admins only): one time zone,
 * region and uplink for all of them, because POS times are read in the store's zone; names and
 * districts can be edited under Stores afterwards. The import is then run again by the person.
 */
export function CreateStoresButton({ codes }: { codes: string[] }) {
  const canManage = useCan('stores:manage');
  const stores = useStores();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<string[]>([]);
  const zones = useMemo(() => (Intl as unknown as { supportedValuesOf: (k: string) => string[] }).supportedValuesOf('timeZone'), []);
  // The chain's most common zone is the likeliest for new stores.
  const commonZone = useMemo(() => {
    const count = new Map<string, number>();
    for (const s of stores.data ?? []) count.set(s.timezone, (count.get(s.timezone) ?? 0) + 1);
    return [...count.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'America/Chicago';
  }, [stores.data]);
  const [timezone, setTimezone] = useState<string | null>(null);
  const [region, setRegion] = useState('Unassigned');
  const [uplink, setUplink] = useState<number | string>(100);
  const pending = codes.filter((c) => !created.includes(c));
  if (!canManage || pending.length === 0) return created.length ? <Text size="sm">Created {created.join(', ')}: import the file again.</Text> : null;

  async function create() {
    setBusy(true);
    const done: string[] = [];
    try {
      for (const code of pending) {
        await post('/api/stores', { code, name: `Store ${code}`, region, district: region, timezone: timezone ?? commonZone, uplinkMbps: Number(uplink) || 100 });
        done.push(code);
      }
      notifySuccess(`${done.length} store${done.length === 1 ? '' : 's'} created. Import the file again to load their transactions.`);
      setOpen(false);
    } catch (err) {
      notifyError(err, done.length ? `Created ${done.join(', ')}; the next one failed` : 'The stores were not created');
    } finally {
      setCreated((c) => [...c, ...done]);
      setBusy(false);
      await queryClient.invalidateQueries({ queryKey: ['/api/stores'] });
    }
  }

  return (
    <>
      <Button size="xs" variant="light" color="orange" onClick={() => setOpen(true)} data-testid="create-stores">
        Create these stores
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={`Create ${pending.length} store${pending.length === 1 ? '' : 's'}`}>
        <Stack>
          <Text size="sm">
            {pending.map((c, i) => (
              <span key={c}>
                {i > 0 && ', '}
                <Code>{c}</Code>
              </span>
            ))}{' '}
            will be created with these settings. Transaction times are read in the store&apos;s time zone, so choose it before importing.
          </Text>
          <Select label="Time zone" searchable allowDeselect={false} data={zones} limit={50} value={timezone ?? commonZone} onChange={setTimezone} />
          <TextInput label="Region" value={region} onChange={(e) => setRegion(e.currentTarget.value)} maxLength={80} />
          <NumberInput label="Network uplink (Mbps)" value={uplink} onChange={setUplink} min={1} max={100000} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button loading={busy} onClick={create} disabled={!region.trim()}>
              Create {pending.length} store{pending.length === 1 ? '' : 's'}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
