/** Task progress reporting during account sync. */
import { badResponse } from './cmp-api';
import type { NflexContext } from './context';

/**
 * Reports `percentage` for the task named by the event's `task_id` (POST `/tasks/<taskId>/update`). No-op
 * when taskId is null/undefined; rejects with CmpApiError on any status but 200 (even 201). Async because
 * the CMP client is HTTP.
 */
export async function setTaskPercentage(
  context: NflexContext,
  taskId: string | null | undefined,
  percentage: number,
): Promise<void> {
  if (taskId === null || taskId === undefined) return;
  const response = await context.api.post(`/tasks/${taskId}/update`, { percentage });
  if (response.status_code !== 200) throw badResponse('tasks', response.status_code, response.content);
}
