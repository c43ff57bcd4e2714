import type { ApplicationType } from '../rules/types';

/**
 * Public tracking numbers: type prefix, year of submission, eight digits (e.g. WP-2026-00012345). The
 * digits of a number the applications registry issues are drawn at random: tracking needs no token, so
 * a number must not be found by counting from another one.
 */
export const APPLICATION_NUMBER = /^[A-Z]{2,4}-\d{4}-\d{8}$/;

/** The tracking number of an application of `type` submitted on `submittedOn` (YYYY-MM-DD), with its eight digits. */
export function applicationNumber(type: ApplicationType, submittedOn: string, digits: string): string {
  return `${APPLICATION_NUMBER_PREFIX[type]}-${submittedOn.slice(0, 4)}-${digits}`;
}

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
