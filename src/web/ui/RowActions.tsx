import { ActionIcon, Menu } from '@mantine/core';
import { IconDots, IconPlayerPlay, IconPlayerStop } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { patch } from '../api';
import { ConfirmModal, type ConfirmRequest } from './ConfirmModal';
import { notifyError, notifySuccess } from './notify';

/** The "…" menu at the end of a table row. */
export function RowActionsMenu({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Menu position="bottom-end" shadow="md">
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" aria-label={label}>
          <IconDots size={18} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>{children}</Menu.Dropdown>
    </Menu>
  );
}

/**
 * "Deactivate" (after a confirmation) or "Reactivate" for a record with an active flag.
 * `confirm` opens the ConfirmModal; `onSetActive` saves the new flag.
 */
export function ActivateMenuItems({
  active,
  deactivateTitle,
  deactivateMessage,
  confirm,
  onSetActive,
}: {
  active: boolean;
  deactivateTitle: string;
  deactivateMessage: ReactNode;
  confirm: (request: ConfirmRequest) => void;
  onSetActive: (active: boolean) => void;
}) {
  return active ? (
    <Menu.Item
      color="red"
      leftSection={<IconPlayerStop size={16} />}
      onClick={() => confirm({ title: deactivateTitle, message: deactivateMessage, confirmLabel: 'Deactivate', onConfirm: () => onSetActive(false) })}
    >
      Deactivate
    </Menu.Item>
  ) : (
    <Menu.Item leftSection={<IconPlayerPlay size={16} />} onClick={() => onSetActive(true)}>
      Reactivate
    </Menu.Item>
  );
}

/**
 * Setting a record's active flag with PATCH `${path}/${id}`, the confirmation that goes before
 * deactivating, and the "X is now active/inactive" notice. Render `modal` once on the page.
 */
export function useActiveFlag<T extends { id: string; active: boolean }>(path: string, name: (record: T) => string) {
  const queryClient = useQueryClient();
  const [request, setRequest] = useState<ConfirmRequest | null>(null);
  const mutation = useMutation({
    mutationFn: ({ record, value }: { record: T; value: boolean }) => patch<T>(`${path}/${record.id}`, { active: value }),
    onSuccess: (r) => {
      void queryClient.invalidateQueries({ queryKey: [path] });
      notifySuccess(`${name(r)} is now ${r.active ? 'active' : 'inactive'}`);
      setRequest(null);
    },
    onError: (err) => notifyError(err),
  });
  return {
    setActive: (record: T, value: boolean) => mutation.mutate({ record, value }),
    confirm: setRequest,
    modal: <ConfirmModal request={request} onClose={() => setRequest(null)} loading={mutation.isPending} />,
  };
}
