import { Badge } from '@mantine/core';
import { PROJECT_STAGE_LABELS, type ProjectStage } from '../../../contracts/projects';

const STAGE_COLORS: Record<ProjectStage, string> = {
  proposal: 'gray',
  security_review: 'orange',
  capacity_review: 'orange',
  budget_approval: 'orange',
  pilot: 'indigo',
  rollout: 'blue',
  done: 'teal',
  stopped: 'red',
};

export function StageBadge({ stage }: { stage: ProjectStage }) {
  return (
    <Badge color={STAGE_COLORS[stage]} variant="light">
      {PROJECT_STAGE_LABELS[stage]}
    </Badge>
  );
}
