import { Button, Card, FileInput, Stack, Text, Title } from '@mantine/core';
import { IconUpload } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { VideoExportReceipt } from '../../../contracts/cases';
import { notifyError, notifySuccess } from '../../ui/notify';
import { formatBytes, uploadFile } from './shared';

/**
 * On a video-export request a case raised: the receiving department (IT) attaches the exported
 * file, which lands on the case as evidence with its SHA-256. IT gets no access to the case itself.
 */
export function VideoExportDelivery({ requestRef, caseRef }: { requestRef: string; caseRef: string | null }) {
  const [file, setFile] = useState<File | null>(null);
  const [delivered, setDelivered] = useState<VideoExportReceipt[]>([]);
  const send = useMutation({
    mutationFn: (f: File) => uploadFile<VideoExportReceipt>(`/api/requests/${encodeURIComponent(requestRef)}/video-export`, f, { filename: f.name, contentType: f.type || undefined }),
    onSuccess: (r) => {
      setDelivered((d) => [...d, r]);
      setFile(null);
      notifySuccess(`${r.filename} is on ${r.caseRef} as evidence E${r.evidenceNumber}.`);
    },
    onError: (err) => notifyError(err),
  });
  return (
    <Card padding="lg">
      <Title order={4} mb="xs">
        Deliver the export
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        Attach the exported footage here. It goes straight to {caseRef ?? 'the case'} as evidence, with its SHA-256 and a custody entry naming this request; you do not need access to the case.
      </Text>
      <Stack gap="xs">
        <FileInput label="Exported file" placeholder="Choose the export" value={file} onChange={setFile} clearable />
        <Button leftSection={<IconUpload size={16} />} disabled={!file} loading={send.isPending} onClick={() => file && send.mutate(file)}>
          Attach to the case
        </Button>
        {delivered.map((d) => (
          <Text key={d.sha256 + d.evidenceNumber} size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
            E{d.evidenceNumber} · {d.filename} · {formatBytes(d.sizeBytes)} · SHA-256 {d.sha256}
          </Text>
        ))}
      </Stack>
    </Card>
  );
}
