import { Alert, Button, Card, FileInput, Group, Select, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconCloudOff, IconPaperclip, IconRestore } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useEffect, useRef, useState } from 'react';
import { INCIDENT_TYPES, INCIDENT_TYPE_LABELS, type IncidentDetail, type IncidentType } from '../../../contracts/cases';
import { isApiError, post } from '../../api';
import { applyServerErrors } from '../../ui/forms';
import { HQ, storeOptions, useStores } from '../../ui/lookups';
import { useMe } from '../../ui/me';
import { notifyError, notifySuccess } from '../../ui/notify';
import { PageBreadcrumbs } from '../../ui/PageBreadcrumbs';
import { PageHeader } from '../../ui/PageHeader';
import { toCents, uploadFile, useInvalidateCases } from './shared';

interface Values {
  storeId: string;
  occurredAt: string;
  type: IncidentType | '';
  loss: string;
  recovered: string;
  narrative: string;
  peopleInvolved: string;
  policeReport: string;
}

/** "2026-11-30T14:05" in the phone's own time, for a datetime-local input. */
function localNow() {
  const d = new Date();
  d.setSeconds(0, 0);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

const draftKey = (personId: string) => `tandem:incident-draft:${personId}`;
type Draft = { values: Values; clientKey: string; savedAt: string };

function readDraft(personId: string): Draft | null {
  try {
    const raw = localStorage.getItem(draftKey(personId));
    return raw ? (JSON.parse(raw) as Draft) : null;
  } catch {
    return null;
  }
}

/**
 * Report an incident: built for a phone and for under a minute. Every keystroke is kept as a draft
 * on the device (localStorage), so a lost connection or a closed tab loses nothing; the draft's key
 * makes a re-sent report arrive once.
 */
export function IncidentNewPage() {
  const me = useMe();
  const personId = me.data?.id ?? 'anonymous';
  const stores = useStores();
  const navigate = useNavigate();
  const invalidate = useInvalidateCases();
  const restored = useRef<Draft | null>(readDraft(personId));
  const [clientKey] = useState(() => restored.current?.clientKey ?? crypto.randomUUID());
  const [files, setFiles] = useState<File[]>([]);
  const [offline, setOffline] = useState(false);
  const form = useForm<Values>({
    initialValues: restored.current?.values ?? {
      storeId: me.data?.storeId ?? HQ,
      occurredAt: localNow(),
      type: '',
      loss: '',
      recovered: '',
      narrative: '',
      peopleInvolved: '',
      policeReport: '',
    },
    validate: {
      type: (v) => (v ? null : 'Choose what happened'),
      narrative: (v) => (v.trim() ? null : 'Say in a few words what happened'),
      occurredAt: (v) => (v ? null : 'When did it happen?'),
      loss: (v) => (toCents(v) === null ? 'Enter an amount like 129.99' : null),
      recovered: (v) => (toCents(v) === null ? 'Enter an amount like 20.00' : null),
    },
    onValuesChange: (values) => {
      try {
        localStorage.setItem(draftKey(personId), JSON.stringify({ values, clientKey, savedAt: new Date().toISOString() } satisfies Draft));
      } catch {
        /* storage full or disabled: the form still works */
      }
    },
  });
  useEffect(() => {
    const online = () => setOffline(false);
    window.addEventListener('online', online);
    return () => window.removeEventListener('online', online);
  }, []);

  const submit = useMutation({
    mutationFn: async (v: Values) => {
      const incident = await post<IncidentDetail>('/api/incidents', {
        clientKey,
        storeId: v.storeId === HQ ? null : v.storeId,
        occurredAt: new Date(v.occurredAt).toISOString(),
        type: v.type,
        estimatedLossCents: toCents(v.loss) ?? 0,
        recoveredCents: toCents(v.recovered) ?? 0,
        narrative: v.narrative.trim(),
        peopleInvolved: v.peopleInvolved.trim(),
        policeReport: v.policeReport.trim(),
      });
      // The report is in: the draft goes, even if a photo fails below (it can be added on the incident's page).
      localStorage.removeItem(draftKey(personId));
      const failed: string[] = [];
      for (const file of files) {
        try {
          await uploadFile(`/api/incidents/${incident.id}/files`, file, { filename: file.name || 'photo.jpg', contentType: file.type || undefined });
        } catch (err) {
          failed.push(`${file.name}: ${(err as Error).message}`);
        }
      }
      return { incident, failed };
    },
    onSuccess: ({ incident, failed }) => {
      invalidate();
      notifySuccess(`${incident.ref} was sent to loss prevention. Thank you.`, 'Incident reported');
      if (failed.length) notifyError(new Error(`Not attached (add them on the incident's page): ${failed.join('; ')}`), 'Some files did not upload');
      void navigate({ to: '/incidents/$id', params: { id: String(incident.number) } });
    },
    onError: (err) => {
      if (isApiError(err, 0)) {
        setOffline(true);
        return;
      }
      applyServerErrors(form, err, { estimatedLossCents: 'loss', recoveredCents: 'recovered' });
    },
  });

  const discard = () => {
    localStorage.removeItem(draftKey(personId));
    restored.current = null;
    form.setValues({ storeId: me.data?.storeId ?? HQ, occurredAt: localNow(), type: '', loss: '', recovered: '', narrative: '', peopleInvolved: '', policeReport: '' });
  };

  return (
    <Stack gap="md" maw={640}>
      <PageBreadcrumbs to="/incidents" label="Incidents" current="Report an incident" />
      <PageHeader title="Report an incident" description="A theft, a loss, damage or anything suspicious. Loss prevention reads every report." />
      {restored.current && (
        <Alert icon={<IconRestore size={18} />} color="blue" variant="light" title="Your draft is back">
          <Group justify="space-between" gap="xs">
            <Text size="sm">We kept what you typed on this device.</Text>
            <Button size="xs" variant="subtle" onClick={discard}>
              Start over
            </Button>
          </Group>
        </Alert>
      )}
      {offline && (
        <Alert icon={<IconCloudOff size={18} />} color="orange" title="No connection" data-testid="offline-alert">
          Your report is saved on this device. Send it again when you are back online; it will arrive once.
        </Alert>
      )}
      <Card padding="md">
        <form onSubmit={form.onSubmit((v) => submit.mutate(v))} noValidate>
          <Stack gap="sm">
            <Select
              label="What happened?"
              placeholder="Choose one"
              data={INCIDENT_TYPES.map((t) => ({ value: t, label: INCIDENT_TYPE_LABELS[t] }))}
              allowDeselect={false}
              {...form.getInputProps('type')}
              onChange={(v) => form.setFieldValue('type', (v ?? '') as IncidentType)}
            />
            <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
              <Select
                label="Store"
                searchable
                allowDeselect={false}
                data={[...(me.data?.storeId ? [] : [{ value: HQ, label: 'Headquarters / no store' }]), ...storeOptions(stores.data)]}
                {...form.getInputProps('storeId')}
                onChange={(v) => form.setFieldValue('storeId', v ?? HQ)}
              />
              <TextInput label="When" type="datetime-local" max={localNow()} {...form.getInputProps('occurredAt')} />
            </SimpleGrid>
            <Textarea label="Tell us what happened" placeholder="What was taken or damaged, how, and what you did" autosize minRows={3} maxRows={10} {...form.getInputProps('narrative')} />
            <SimpleGrid cols={2} spacing="sm">
              <TextInput label="Estimated loss ($)" inputMode="decimal" placeholder="0.00" {...form.getInputProps('loss')} />
              <TextInput label="Recovered ($)" inputMode="decimal" placeholder="0.00" {...form.getInputProps('recovered')} />
            </SimpleGrid>
            <Textarea label="People involved" description="Describe them: height, clothing, vehicle; or name colleagues who saw it" autosize minRows={2} {...form.getInputProps('peopleInvolved')} />
            <TextInput label="Police report number" placeholder="If the police were called" {...form.getInputProps('policeReport')} />
            <FileInput
              label="Photos and files"
              description="Photos, receipts, PDFs or short clips"
              placeholder="Add photos"
              multiple
              clearable
              accept="image/*,video/*,application/pdf"
              leftSection={<IconPaperclip size={16} />}
              value={files}
              onChange={setFiles}
            />
            <Button type="submit" size="md" loading={submit.isPending} fullWidth>
              Send report
            </Button>
          </Stack>
        </form>
      </Card>
    </Stack>
  );
}
