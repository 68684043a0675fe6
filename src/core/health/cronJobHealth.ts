// CronJob health, as the health script Argo CD ships for batch/CronJob
// (resource_customizations/batch/CronJob). A CronJob has no conditions; its status only says when
// it last ran a Job and when a Job last succeeded, so most states it cannot judge are Healthy.
import { health, type HealthResult } from './healthStatus';
import { isRecord, readArray, readString, type KubeObject } from './objectFields';

export function cronJobHealth(cronJob: KubeObject): HealthResult {
  // Suspended first, and read leniently like Argo's script: only a literal `true` suspends.
  if (isRecord(cronJob.spec) && cronJob.spec.suspend === true) return health('Suspended', 'CronJob is Suspended');
  if (!isRecord(cronJob.status)) return health('Progressing', 'Waiting for CronJob');
  const lastSchedule = readString(cronJob, 'status', 'lastScheduleTime');
  // Nothing tells a CronJob that missed its schedule from one whose time has not come.
  if (lastSchedule === undefined) return health('Healthy', 'CronJob has not been scheduled yet');
  const lastSuccess = readString(cronJob, 'status', 'lastSuccessfulTime');
  // Never succeeded: its first Job may still be running, so Argo does not call it Degraded.
  if (lastSuccess === undefined) return health('Healthy', 'The Cronjob never completed succesfully. It may not be healthy');
  if (readArray(cronJob, 'status', 'active').length > 0) {
    return health('Healthy', 'The job is running. Its last execution may not have been successful');
  }
  // RFC 3339 times in UTC compare as text; a success older than the last run means that run failed.
  if (lastSuccess < lastSchedule) return health('Degraded', 'CronJob has not completed its last execution successfully');
  return health('Healthy', 'CronJob has completed its last execution successfully');
}
