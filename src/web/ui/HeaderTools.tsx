import { Avatar, Box, Group, Menu, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { IconBell, IconChevronDown, IconLogout, IconUser } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import type { Me } from '../../contracts/access';
import { ROLE_LABELS } from '../../contracts/roles';
import { post } from '../api';
import { ColorSchemeToggle } from './ColorSchemeToggle';
import { initials } from './header-tools';
import { NotificationBell } from './NotificationBell';
import { notifyError } from './notify';

/** The right of the app frame's header: notifications, colour scheme and the account menu (header-tools.ts loads it). */
export function HeaderTools({ person }: { person: Me }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();

  const signOut = async () => {
    try {
      await post('/api/auth/sign-out', {});
    } catch (err) {
      notifyError(err, 'Could not sign out');
      return;
    }
    queryClient.clear();
    await navigate({ to: '/sign-in', search: {} });
  };

  return (
    <>
      <NotificationBell />
      <ColorSchemeToggle />
      <Menu position="bottom-end" width={220} shadow="md">
        <Menu.Target>
          <UnstyledButton data-testid="user-menu">
            <VisuallyHidden>Account menu</VisuallyHidden>
            <Group gap={8} wrap="nowrap">
              <Avatar size={32} radius="xl" color="indigo" aria-hidden>
                {initials(person.name)}
              </Avatar>
              <Box visibleFrom="xs" style={{ lineHeight: 1.15 }}>
                <Text size="sm" fw={600} data-testid="user-name">
                  {person.name}
                </Text>
                <Text size="xs" c="dimmed">
                  {ROLE_LABELS[person.role]}
                </Text>
              </Box>
              <IconChevronDown size={14} />
            </Group>
          </UnstyledButton>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>{person.email}</Menu.Label>
          <Menu.Item component={Link} to="/profile" leftSection={<IconUser size={16} />}>
            Profile
          </Menu.Item>
          <Menu.Item component={Link} to="/notifications/settings" leftSection={<IconBell size={16} />}>
            Notification preferences
          </Menu.Item>
          <Menu.Item leftSection={<IconLogout size={16} />} onClick={() => void signOut()}>
            Sign out
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
    </>
  );
}
