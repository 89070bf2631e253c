import { fbiBias, type Bias, type BiasSpellings } from '../../transforms/bias-vocabulary.ts'
import { nibrsOffense, type OffenseSpellings } from '../../transforms/offense-vocabulary.ts'

/**
 * NYPD's own words for biases and offenses. Bias words are upper case and drift between releases
 * (`ANTI-MALE HOMOSEXUAL(GAY)` and `ANTI-MALE HOMOSEXUAL (GAY)`, `ANTI-ISLAMIC(MUSLIM)` and
 * `ANTI-MUSLIM`, `ANTI-JEHOVAS WITNESS` and `ANTI-JEHOVAHS WITNESS`, data notes 6.3); lookups
 * ignore case and runs of spaces, and the FBI's own names (ANTI-JEWISH, ANTI-ASIAN, ANTI-SIKH, ...)
 * need no entry.
 */

/**
 * New York protects age; the FBI collects no age bias. Such a bias keeps NYPD's words as its name,
 * has no code and no FBI category, and the row is flagged `non_fbi_bias`.
 */
const age = (words: string): Bias => ({ code: null, name: words, category: 'Unknown', nonStandard: false })

/** The bias words NYPD uses that name no FBI bias. */
export const NYPD_NON_FBI_BIASES: ReadonlySet<string> = new Set(['60 yrs and older', '50 years old or more'])

/** Bias words that are not the FBI's wording, keyed lower-case with single spaces. */
export const NYPD_BIASES: BiasSpellings = new Map([
  ['anti-black', fbiBias('12')],
  ['anti-multi-racial groups', fbiBias('15')],
  ['anti-multi racial groups', fbiBias('15')],
  ['anti-hispanic', fbiBias('32')],
  ['anti-other ethnicity', fbiBias('33')],
  ['anti-muslim', fbiBias('24')],
  ['anti-islamic(muslim)', fbiBias('24')],
  // NYPD's "religious practice generally" has no FBI code of its own; Other Religion is the nearest.
  ['anti-religious practice generally', fbiBias('25', true)],
  ['anti-jehovahs witness', fbiBias('29')],
  ['anti-jehovas witness', fbiBias('29')],
  ['anti-eastern orthodox', fbiBias('81')],
  ['anti-male homosexual (gay)', fbiBias('41')],
  ['anti-male homosexual(gay)', fbiBias('41')],
  ['anti-female homosexual (lesbian)', fbiBias('42')],
  ['anti-female homosexual(lesbian)', fbiBias('42')],
  ['anti-female homosexual (gay)', fbiBias('42')],
  ['anti-lgbt (mixed group)', fbiBias('43')],
  ['anti-lgbt(mixed group)', fbiBias('43')],
  ['anti-gender non conforming', fbiBias('72')],
  ...[...NYPD_NON_FBI_BIASES].map((words) => [words, age(words.toUpperCase())] as const),
])

/**
 * `PD Code Description` (New York Penal Law wording, cut at 30 characters in older rows) by the
 * NIBRS offense it stands for. Where New York's offense is wider or narrower than the FBI's, the
 * nearest NIBRS offense is taken: aggravated harassment, menacing without a weapon and terroristic
 * threats are Intimidation; menacing in the first degree (a weapon shown), felony assault and
 * strangulation are Aggravated Assault; harassment by physical contact is Simple Assault;
 * complaints that name an investigation, not a crime, are All Other Offenses.
 */
const OFFENSES_BY_NIBRS: Readonly<Record<string, readonly string[]>> = {
  'Murder and Nonnegligent Manslaughter': ['MURDER,UNCLASSIFIED', 'MANSLAUGHTER,UNCLASSIFIED - NO'],
  'Negligent Manslaughter': ['HOMICIDE,NEGLIGENT,UNCLASSIFIE'],
  'Kidnapping/Abduction': ['IMPRISONMENT 1,UNLAWFUL'],
  Rape: ['RAPE 1'],
  Fondling: ['SEXUAL ABUSE', 'SEXUAL ABUSE 3,2'],
  'Aggravated Assault': [
    'ASSAULT 2,1,UNCLASSIFIED', 'ASSAULT OTHER PUBLIC SERVICE EMPLOYEE', 'ASSAULT POLICE/PEACE OFFICER', 'STRANGULATION 1ST',
    'OBSTR BREATH/CIRCUL', 'MENACING 1ST DEGREE (VICT NOT', 'MENACING 1ST DEGREE (VICT PEAC',
  ],
  'Simple Assault': ['ASSAULT 3', 'HARASSMENT,SUBD 1,CIVILIAN'],
  Intimidation: [
    'AGGRAVATED HARASSMENT 1', 'AGGRAVATED HARASSMENT 2', 'HARASSMENT,SUBD 3,4,5', 'MENACING,UNCLASSIFIED',
    'MAKING TERRORISTIC THREAT', 'STALKING COMMIT SEX OFFENSE',
  ],
  Robbery: [
    'ROBBERY,BEGIN AS SHOPLIFTING', 'ROBBERY,CAR JACKING', 'ROBBERY,CLOTHING', 'ROBBERY,COMMERCIAL UNCLASSIFIED',
    'ROBBERY,DWELLING', 'ROBBERY,NECKCHAIN/JEWELRY', 'ROBBERY,ON BUS/ OR BUS DRIVER', 'ROBBERY,OPEN AREA UNCLASSIFIED',
    'ROBBERY,PERSONAL ELECTRONIC DEVICE', 'ROBBERY,POCKETBOOK/CARRIED BAG', 'ROBBERY,PUBLIC PLACE INSIDE',
    'ROBBERY,RESIDENTIAL COMMON AREA',
  ],
  Arson: ['ARSON 1', 'ARSON 2,3,4'],
  'Extortion/Blackmail': ['LARCENY,GRAND BY EXTORTION'],
  'Burglary/Breaking & Entering': [
    'BURGLARY,COMMERCIAL,DAY', 'BURGLARY,COMMERCIAL,NIGHT', 'BURGLARY,RESIDENCE,DAY', 'BURGLARY,RESIDENCE,UNKNOWN TIM',
    'BURGLARY,TRUCK NIGHT', 'BURGLARY,UNCLASSIFIED,NIGHT', 'BURGLARY,UNCLASSIFIED,UNKNOWN',
  ],
  'Pocket-picking': ['LARCENY,GRAND FROM PERSON, BAG OPEN/DIP'],
  Shoplifting: ['LARCENY,PETIT FROM STORE-SHOPL'],
  'Theft From Building': [
    'LARCENY,GRAND FROM BUILDING (NON-RESIDENCE) UNATTENDED', 'LARCENY,GRAND FROM RESIDENCE, UNATTENDED',
    'LARCENY,PETIT FROM BUILDING,UN', 'LARCENY,PETIT FROM BUILDING,UNATTENDED, PACKAGE THEFT INSIDE',
  ],
  'Theft From Motor Vehicle': ['LARCENY,PETIT FROM AUTO'],
  'All Other Larceny': [
    'LARCENY,GRAND BY THEFT OF CREDIT CARD', 'LARCENY,GRAND FROM OPEN AREAS, UNATTENDED', 'LARCENY,GRAND FROM PERSON,UNCL',
    'LARCENY,GRAND FROM PERSON,PERSONAL ELECTRONIC DEVICE(SNATCH)', 'LARCENY,PETIT BY ACQUIRING LOS', 'LARCENY,PETIT FROM OPEN AREAS,',
  ],
  'False Pretenses/Swindle/Confidence Game': ['FRAUD,UNCLASSIFIED-MISDEMEANOR', 'LARCENY,GRAND BY FALSE PROMISE-IN PERSON CONTACT'],
  'Destruction/Damage/Vandalism of Property': [
    'CRIMINAL MIS 2 & 3', 'CRIMINAL MISCHIEF 4TH, GRAFFIT', 'CRIMINAL MISCHIEF,UNCLASSIFIED 4', 'MISCHIEF, CRIMINAL 3 & 2, OF M',
    'MISCHIEF, CRIMINAL 3&2, BY FIR', 'MISCHIEF, CRIMINAL 4, BY FIRE', 'MISCHIEF, CRIMINAL 4, OF MOTOR', 'MISCHIEF,CRIMINAL, UNCL 2ND',
    'TAMPERING 3,2, CRIMINAL',
  ],
  'Drug/Narcotic Violations': ['CONTROLLED SUBSTANCE,POSSESS.'],
  'Weapon Law Violations': ['CRIMINAL POSSESSION WEAPON', 'WEAPONS POSSESSION 3'],
  'Family Offenses, Nonviolent': ['CHILD, ENDANGERING WELFARE'],
  'Trespass of Real Property': ['TRESPASS 3, CRIMINAL'],
  'All Other Offenses': [
    'CRIMINAL CONTEMPT 1', 'FALSE REPORT 1,FIRE', 'RECKLESS ENDANGERMENT 1', 'RECKLESS ENDANGERMENT 2', 'RESISTING ARREST',
    'SUPP. ACT TERR 2ND', 'TERRORISM PROVIDE SUPPORT', 'INVESTIGATE CHILD ABUSE', 'UNCLASSIFIED COMPLAINT',
  ],
}

/** PD code descriptions, keyed lower-case with single spaces (the file writes `MISCHIEF,CRIMINAL,    UNCL 2ND`). */
export const NYPD_OFFENSES: OffenseSpellings = new Map(
  Object.entries(OFFENSES_BY_NIBRS).flatMap(([name, spellings]) =>
    spellings.map((spelling) => [spelling.toLowerCase().replace(/\s+/g, ' '), nibrsOffense(name)] as const),
  ),
)
