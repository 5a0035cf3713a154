import { Alert, Button, Code, Group, Input, List, Modal, ScrollArea, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconUpload } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { ImportResult } from '../../contracts/people';
import { api, ApiRequestError, isApiError } from '../api';
import { notifySuccess } from './notify';

/** "Import CSV": pick a file, send its text to `path` as text/csv, report the result or the problems by line. */
export function ImportCsvButton({ path, columns, noun, invalidate }: { path: string; columns: readonly string[]; noun: string; invalidate: string[] }) {
  const [opened, setOpened] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const inputId = useId();
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: async (f: File) => api<ImportResult>(path, { method: 'POST', text: await f.text(), contentType: 'text/csv' }),
    onSuccess: (r) => {
      for (const key of invalidate) void queryClient.invalidateQueries({ queryKey: [key] });
      notifySuccess(`${r.created} created, ${r.updated} updated from ${r.lines} lines`, `${noun} imported`);
      close();
    },
  });
  const close = () => {
    setOpened(false);
    setFile(null);
    mutation.reset();
  };
  const error = mutation.error;

  return (
    <>
      <Button variant="default" leftSection={<IconUpload size={16} />} onClick={() => setOpened(true)}>
        Import CSV
      </Button>
      <Modal opened={opened} onClose={close} title={`Import ${noun.toLowerCase()} from CSV`} size="lg">
        <Stack>
          <Text size="sm">
            The first line must name the columns: <Code>{columns.join(',')}</Code>. Existing records are updated, new ones created. If any line
            has a problem, nothing is imported.
          </Text>
          <Input.Wrapper label="CSV file" labelElement="label" id={inputId}>
            <input
              id={inputId}
              type="file"
              accept=".csv,text/csv"
              style={{ display: 'block', marginTop: 6 }}
              onChange={(e) => {
                setFile(e.currentTarget.files?.[0] ?? null);
                mutation.reset();
              }}
            />
          </Input.Wrapper>
          {error && <ImportProblems error={error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button disabled={!file} loading={mutation.isPending} onClick={() => file && mutation.mutate(file)}>
              Import
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}

function ImportProblems({ error }: { error: Error }) {
  const problems = isApiError(error) ? error.problems : [];
  const total = error instanceof ApiRequestError ? (error.total ?? problems.length) : 0;
  return (
    <Alert color="red" icon={<IconAlertTriangle />} title={problems.length ? `Nothing was imported: ${total} problem${total === 1 ? '' : 's'}` : 'Import failed'} data-testid="import-problems">
      {problems.length === 0 ? (
        error.message
      ) : (
        <ScrollArea.Autosize mah={240}>
          <List size="sm" spacing={2}>
            {problems.map((p, i) => (
              <List.Item key={i}>
                {p.line !== undefined && <strong>Line {p.line}: </strong>}
                {p.field && <Code>{p.field}</Code>} {p.message}
              </List.Item>
            ))}
          </List>
          {total > problems.length && (
            <Text size="sm" mt="xs">
              …and {total - problems.length} more.
            </Text>
          )}
        </ScrollArea.Autosize>
      )}
    </Alert>
  );
}
