import { ActionIcon, Menu } from '@mantine/core';
import { IconDots, IconPlayerPlay, IconPlayerStop } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { ConfirmRequest } from './ConfirmModal';

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
