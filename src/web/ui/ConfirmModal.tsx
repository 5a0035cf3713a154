import { Button, Group, Modal, Text } from '@mantine/core';
import type { ReactNode } from 'react';

export interface ConfirmRequest {
  title: string;
  message: ReactNode;
  confirmLabel: string;
  color?: string;
  onConfirm: () => Promise<unknown> | void;
}

/** A small "are you sure" dialog, driven by a request object (null = closed). */
export function ConfirmModal({ request, onClose, loading }: { request: ConfirmRequest | null; onClose: () => void; loading?: boolean }) {
  return (
    <Modal opened={!!request} onClose={onClose} title={request?.title} centered>
      <Text size="sm">{request?.message}</Text>
      <Group justify="flex-end" mt="lg">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button color={request?.color ?? 'red'} loading={loading} onClick={() => request && void request.onConfirm()}>
          {request?.confirmLabel}
        </Button>
      </Group>
    </Modal>
  );
}
