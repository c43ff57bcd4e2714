import type { ApplicationType } from '../rules/types';

/** Public tracking numbers: type prefix, year of submission, 8-digit serial (e.g. WP-2026-00012345). */
export const APPLICATION_NUMBER = /^[A-Z]{2,4}-\d{4}-\d{8}$/;

export const APPLICATION_NUMBER_PREFIX: Record<ApplicationType, string> = {
  WORK_PERMIT: 'WP',
  WORK_PERMIT_EXTENSION: 'WPX',
  TEMPORARY_RESIDENCE: 'TRP',
  TEMPORARY_RESIDENCE_EXTENSION: 'TRPX',
  PERMANENT_RESIDENCE: 'PRP',
  TEMPORARY_STAY_EXTENSION: 'TSX',
  REGISTRATION_BY_PLACE_OF_STAY: 'REG',
  CITIZENSHIP_ADMISSION: 'CIT',
  CITIZENSHIP_RESTORATION: 'CITR',
  CITIZENSHIP_TERMINATION: 'CITT',
  E_VISA: 'EV',
};
