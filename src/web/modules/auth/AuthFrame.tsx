import { Box, Center, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Brand } from '../../ui/Brand';

/**
 * The card every signed-out page uses, near the top of the screen: what appears below the form (the
 * demo sign-in, single sign-on) moves nothing above it. index.html draws the same frame before the
 * app loads (keep the two in step).
 */
export function AuthFrame({ title, subtitle, children }: { title: string; subtitle?: ReactNode; children: ReactNode }) {
  return (
    <Box className="tandem-auth-bg tandem-auth-frame">
      <Stack w="100%" maw={420} mx="auto" gap="lg">
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
    </Box>
  );
}
