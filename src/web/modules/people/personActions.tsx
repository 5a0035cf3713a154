import { ActionIcon, Menu, Modal } from '@mantine/core';
import { IconDots, IconEye, IconMailForward, IconPencil, IconUserCheck, IconUserOff } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import type { Person } from '../../../contracts/people';
import { post } from '../../api';
import { ConfirmModal, type ConfirmRequest } from '../../ui/ConfirmModal';
import { notifyError, notifySuccess } from '../../ui/notify';
import { PersonForm } from './PersonForm';

type Kind = 'deactivate' | 'reactivate' | 'invite';

/** Deactivate / reactivate / resend invitation, with a confirmation where it matters. */
export function usePersonActions() {
  const queryClient = useQueryClient();
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const mutation = useMutation({
    mutationFn: ({ kind, person }: { kind: Kind; person: Person }) => post<Person | undefined>(`/api/people/${person.id}/${kind}`, {}),
    onSuccess: (_r, { kind, person }) => {
      void queryClient.invalidateQueries({ queryKey: ['/api/people'] });
      void queryClient.invalidateQueries({ queryKey: ['/api/departments'] });
      void queryClient.invalidateQueries({ queryKey: ['home'] });
      const text = { deactivate: `${person.name} was deactivated`, reactivate: `${person.name} was reactivated`, invite: `A new invitation was sent to ${person.email}` };
      notifySuccess(text[kind]);
      setConfirm(null);
    },
    onError: (err) => notifyError(err),
  });

  const run = (kind: Kind, person: Person) => {
    if (kind === 'deactivate') {
      setConfirm({
        title: 'Deactivate person',
        message: `${person.name} will be signed out and can no longer sign in or use API tokens. Their records stay. You can reactivate them later.`,
        confirmLabel: 'Deactivate',
        onConfirm: () => mutation.mutate({ kind, person }),
      });
    } else {
      mutation.mutate({ kind, person });
    }
  };
  const modal = <ConfirmModal request={confirm} onClose={() => setConfirm(null)} loading={mutation.isPending} />;
  return { run, modal, pending: mutation.isPending };
}

export function PersonActionsMenu({ person }: { person: Person }) {
  const { run, modal } = usePersonActions();
  const [editing, setEditing] = useState(false);
  const navigate = useNavigate();
  return (
    <>
      <Menu position="bottom-end" withinPortal shadow="md">
        <Menu.Target>
          <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${person.name}`}>
            <IconDots size={18} />
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item leftSection={<IconEye size={16} />} onClick={() => void navigate({ to: '/people/$id', params: { id: person.id } })}>
            Open
          </Menu.Item>
          <Menu.Item leftSection={<IconPencil size={16} />} onClick={() => setEditing(true)}>
            Edit
          </Menu.Item>
          {person.status === 'invited' && (
            <Menu.Item leftSection={<IconMailForward size={16} />} onClick={() => run('invite', person)}>
              Resend invitation
            </Menu.Item>
          )}
          {person.status === 'deactivated' ? (
            <Menu.Item leftSection={<IconUserCheck size={16} />} onClick={() => run('reactivate', person)}>
              Reactivate
            </Menu.Item>
          ) : (
            <Menu.Item color="red" leftSection={<IconUserOff size={16} />} onClick={() => run('deactivate', person)}>
              Deactivate
            </Menu.Item>
          )}
        </Menu.Dropdown>
      </Menu>
      {modal}
      <Modal opened={editing} onClose={() => setEditing(false)} title={`Edit ${person.name}`} size="lg">
        <PersonForm person={person} onSaved={() => setEditing(false)} onCancel={() => setEditing(false)} />
      </Modal>
    </>
  );
}
