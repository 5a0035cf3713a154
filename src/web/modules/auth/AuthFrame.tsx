import { Center, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Brand } from '../../ui/Brand';

/** The centred card every signed-out page uses. */
export function AuthFrame({ title, subtitle, children }: { title: string; subtitle?: ReactNode; children: ReactNode }) {
  return (
    <Center className="tandem-auth-bg" px="md" py="xl">
      <Stack w="100%" maw={420} gap="lg">
        <Center>
          <Brand />
        </Center>
        <Paper p={{ base: 'lg', sm: 'xl' }} shadow="sm">
          <Stack gap={4} mb="lg">
            <Title order={1} size="h3">
              {title}
            </Title>
            {subtitle && (
              <Text size="sm" c="dimmed">
                {subtitle}
              </Text>
            )}
          </Stack>
          {children}
        </Paper>
        <Text size="xs" c="dimmed" ta="center">
          Loss prevention, security and IT — working in tandem.
        </Text>
      </Stack>
    </Center>
  );
}
