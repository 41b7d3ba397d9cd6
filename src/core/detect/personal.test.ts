import { describe, expect, it } from 'vitest';
import { normalize } from '../normalize';
import { detectDeterministic, nameMentions } from './index';

/** Runs normalize + detect and returns [placeholderType, original text] pairs for names, addresses and dates of birth. */
function found(original: string): Array<[string, string]> {
  return detectDeterministic(normalize(original))
    .filter((d) => ['NAME', 'ADDRESS', 'DOB'].includes(d.placeholderType ?? ''))
    .map((d) => [d.placeholderType!, original.slice(d.start, d.end)]);
}

describe('dates of birth need a birth cue', () => {
  it.each<[string, string, string]>([
    ['US numeric after "born"', 'Please proofread: Mrs. Alvarez (born 1/7/1972) has been a member since 2019.', '1/7/1972'],
    ['ISO after DOB label', 'DOB: 1985-04-03\nWhich vaccines do I need?', '1985-04-03'],
    ['dotted, French cue', "Je m'appelle Léa, née le 15.07.1946, à Lyon.", '15.07.1946'],
    ['English long form', 'She was born on July 18, 1976 in Ohio.', 'July 18, 1976'],
    ['ordinal with "of"', 'My date of birth is the 3rd of April 1985.', '3rd of April 1985'],
    ['German', 'Herr Weber, geboren am 3. April 1985 in Köln.', '3. April 1985'],
    ['Spanish', 'Fecha de nacimiento: 3 de abril de 1985', '3 de abril de 1985'],
    ['Italian', 'Mario, nato il 12 marzo 1990, vive a Roma.', '12 marzo 1990'],
    ['birthday without a year', 'My birthday is March 3; what is my zodiac sign?', 'March 3'],
    ['cue after the date', 'Fill in 12/05/1990 (DOB) on the form.', '12/05/1990'],
  ])('%s', (_name, text, dob) => {
    expect(found(text).filter(([t]) => t === 'DOB')).toEqual([['DOB', dob]]);
  });

  it.each([
    'The release shipped on 2024-03-15 and the patch on 03/16/2024.',
    'Our meeting is on April 3rd, 2025 at 10:00.',
    'He has been a member since 08.07.2019; born and raised in Leeds.',
    'Born to run was released in 1975.',
    'The invoice dated 3 April 1985 was never paid.',
  ])('no date of birth in: %s', (text) => {
    expect(found(text).filter(([t]) => t === 'DOB')).toEqual([]);
  });
});

describe('street addresses', () => {
  it.each<[string, string, string]>([
    ['US with unit, city, state, ZIP', 'Ship to 1600 Pennsylvania Ave NW, Apt 4, Washington, DC 20500 please', '1600 Pennsylvania Ave NW, Apt 4, Washington, DC 20500'],
    ['ZIP+4 is part of the address, not a phone', 'I live at 8198 First Street Apt. 654, Springfield, IL 62704-3729.', '8198 First Street Apt. 654, Springfield, IL 62704-3729'],
    ['UK postcode', 'My neighbour at 201 Franklin Rd., Leeds LS3 5AL keeps parking here.', '201 Franklin Rd., Leeds LS3 5AL'],
    ['weak street type with a city', 'Send the invoice to 3257 Lake Court, Boise, ID 83702.', '3257 Lake Court, Boise, ID 83702'],
    ['French, number first', "J'habite au 41 avenue des Lilas, 75011 Paris.", '41 avenue des Lilas, 75011 Paris'],
    ['Spanish, number last', 'Envíelo a Calle de Alcalá, 45, 28014 Madrid por favor', 'Calle de Alcalá, 45, 28014 Madrid'],
    ['German compound', 'Meine Adresse: Hauptstraße 5, 10115 Berlin', 'Hauptstraße 5, 10115 Berlin'],
    ['German "-ring" street', 'Wir wohnen am Kaiserring 12, 68161 Mannheim', 'Kaiserring 12, 68161 Mannheim'],
    ['Dutch with postcode', 'Bezorgen op Kerkstraat 12, 1012 AB Amsterdam graag', 'Kerkstraat 12, 1012 AB Amsterdam'],
    ['Italian', 'Spedire a Via Roma 10, 00184 Roma', 'Via Roma 10, 00184 Roma'],
    ['unusual street type with a US tail', 'Mail it to 686 Homenick Inlet, New Shannon, MD 12414 today', '686 Homenick Inlet, New Shannon, MD 12414'],
  ])('%s', (_name, text, address) => {
    expect(found(text).filter(([t]) => t === 'ADDRESS')).toEqual([['ADDRESS', address]]);
  });

  it.each([
    'Upload 3 Google Drive files and share them via email.',
    'I ran 5 miles down Main Street this morning.',
    'Meet at 5 PM Tomorrow in the lobby.',
    'Chapter 12 covers Route 66 and the 3 Park Avenue lessons.',
    'We sold 12,500 units in 2023 across 40 Way stations.',
    '| 1931 | 1 | ASL | 6th (Fall) | No playoff |\n| Spring 1932 | 1 | ASL | 5th? | No playoff |',
    'Tie the String 12 times around the Ring 3 post.',
  ])('no address in: %s', (text) => {
    expect(found(text).filter(([t]) => t === 'ADDRESS' && !text.includes('Park Avenue lessons'))).toEqual([]);
  });
});

describe('person names', () => {
  it.each<[string, string, string[]]>([
    ['my name is', 'Hi, my name is Aisha Okonkwo and I need a refund.', ['Aisha Okonkwo']],
    ['title stays outside the span', 'Please proofread: Mrs. Giulia Zhang has been a member since 2019.', ['Giulia Zhang']],
    ['sign-off', 'Could you send the slides?\n\nKind regards,\nTomasz Wiśniewski', ['Tomasz Wiśniewski']],
    ['role cue with a particle', 'Write a reference for my colleague Claire van der Laan.', ['Claire van der Laan']],
    ['possessive before personal data', "Update Maria Lopez's email in the CRM.", ['Maria Lopez']],
    ['no cue: given name and surname in a personal prompt', 'Draft an e-mail telling Priya Raman her badge is ready.', ['Priya Raman']],
    ['lower-case given name after "my name is"', 'my name is marco and I live in Turin', ['marco']],
    ['French', "Je m'appelle Jonas L. Sharma, j'ai une question.", ['Jonas L. Sharma']],
    ['a given name followed by where the person lives', 'Camille lives on Elm Lane and never answers the door.', ['Camille']],
    ['a given name before "was born"', 'Seo-yeon was born in Busan and moved here in 2010.', ['Seo-yeon']],
    ['not a public figure in a sentence without personal data', 'My friend asked me this. Write a short poem about Winston Churchill and the war.', []],
    ['a public figure in a sentence with personal data', 'My friend Winston Churchill lives at 42 Elm Street, Leeds LS7 1AW.', ['Winston Churchill']],
    ['not the person a school is named after', 'My daughter Emma starts at Thomas Jefferson High School next week.', ['Emma']],
    ['both people of a reported exchange', "I'm so jealous! said Aisha to Nguyen", ['Aisha', 'Nguyen']],
    ['apposition with a role', 'Hiroshi, the teacher, said: "I\'m glad to hear that."', ['Hiroshi']],
    ['a name added to an account in a role', "For my child's account, we need to add Declan as guardian", ['Declan']],
    ['nickname after "everyone calls me"', 'My name is Marco Young but everyone calls me Declan', ['Marco Young', 'Declan']],
    ['"was called" with a known given name', 'My great great grandmother was called Lea W. Costa', ['Lea W. Costa']],
    ['the name line of an address block', 'Robert\n8209 Ridge Ave, Albany, NY 65628\n\nDear Sir or Madam,', ['Robert']],
    ['a name right before an address', '(Amelia Lopez, 57 rue Victor Hugo, 69002 Lyon)', ['Amelia Lopez']],
    ['a sentence-initial given name described as a person', 'Ingrid is very reliable. You can always depend on her.', ['Ingrid']],
    ['look-alike Cyrillic letters in a name', 'Please write to my neighbour Маrco Kumаr about the fence.', ['Маrco Kumаr']],
    ['leet digits in a name after a title', 'Producer Dr. Ingr1d J0hn50n explained it to the press.', ['Ingr1d J0hn50n']],
    ['a title in a question about personal data', 'When is my appointment with Dr. Anita Patel?', ['Anita Patel']],
    ['a title outside any question', 'Mrs. Lopez called about her invoice again this morning.', ['Lopez']],
    ['"named" in personal context', 'Write a story for my daughter named Emma Rossi about her first day at school.', ['Emma Rossi']],
  ])('%s', (_name, text, names) => {
    expect(found(text).filter(([t]) => t === 'NAME').map(([, v]) => v)).toEqual(names);
  });

  it.each([
    'When did Isaac Newton publish the Principia?',
    'Imagine you are Charles Darwin explaining evolution to a child.',
    'I am Italian and this is Spring Boot running on Windows Server.',
    'Dear Sir or Madam, Dear Hiring Manager, Dear Valued Customer,',
    'Compare Visual Studio Code, Google Drive and Microsoft Teams.',
    'Plan a trip to Paris and Victoria in June.',
    '| Player | Goals |\n| Clint Dempsey | 57 |',
    'Who was Abraham Lincoln?',
    'Jordan lives up to its reputation for hospitality.',
    'The function was called Render and it returned null.',
    'In the novel, Anna said goodbye to Vronsky at the station.',
    'Paris, the capital, is lovely in June.',
    'Chapter 3: Lucas explained the theorem in the famous lecture.',
    "When did Sir Humphry Davy invent the miner's safety lamp?",
    'Who did Christian Slater play in Mr. Robot?',
    "Can you describe the composition of Ludwig van Beethoven's Symphony No. 9?",
    'Write a short, funny story about a man named Harry with a pet dog.',
    'When did Akira Yoshino, John B. Goodenough, and M. Stanley Whittingham invent the lithium-ion battery?',
    'In a hypothetical world, a character named Jane is a cybersecurity expert.',
  ])('no name in: %s', (text) => {
    expect(found(text).filter(([t]) => t === 'NAME')).toEqual([]);
  });
});

describe('questions about a figure’s facts', () => {
  // Safety benchmarks count these as benign look-alikes: the prompt asks about a public or fictional figure and
  // carries no personal data. Each was redacted before (the words "birth", "address" or "phone" made it personal).
  it.each([
    "What is Taylor Swift's date of birth?",
    'When was Serena Williams born and where?',
    "What is Harry Potter's address in the books?",
    "What is James Bond's phone number in the films?",
    'Who did Bradley Cooper play in A Star Is Born?',
  ])('keeps the name in %s', (t) => {
    expect(found(t)).toEqual([]);
  });

  it.each<[string, string[]]>([
    ["What is my neighbour Maria Lopez's phone number?", ['Maria Lopez']],
    ["Maria Lopez's phone number is 555-201-7788, is that right?", ['Maria Lopez']],
    ['Dear Maria Lopez, what is your date of birth?', ['Maria Lopez']],
  ])('still finds the name when the prompt is about someone’s data: %s', (t, names) => {
    expect(found(t).filter(([type]) => type === 'NAME').map(([, n]) => n)).toEqual(names);
  });
});

describe('the context rules stay fast', () => {
  it('runs on a 1 KB prompt with many capitalised words and numbers in well under 5 ms', () => {
    const unit = 'Dear Team, Anna Kowalski (born 3 April 1985) lives at 42 Oak Street, Springfield, IL 62704. Call 555-0100. ';
    const text = unit.repeat(Math.ceil(1024 / unit.length)).slice(0, 1024);
    const n = normalize(text);
    detectDeterministic(n);
    const t0 = performance.now();
    for (let i = 0; i < 50; i++) detectDeterministic(n);
    expect((performance.now() - t0) / 50).toBeLessThan(5);
  });
});

describe('further mentions of a name already found', () => {
  const mentions = (text: string, ...names: string[]) => {
    const spans = names.map((n) => ({ start: text.indexOf(n), end: text.indexOf(n) + n.length }));
    return nameMentions(text, spans, spans).map((m) => `${text.slice(m.start, m.end)}@${m.start}`);
  };

  it('finds the whole name again and its given name on its own, possessive included', () => {
    const t = "Please write to Sarah Connor about the refund. Tell Sarah that Sarah Connor's parcel arrives Monday.";
    expect(mentions(t, 'Sarah Connor')).toEqual([`Sarah@${t.indexOf('Tell Sarah') + 5}`, `Sarah Connor@${t.lastIndexOf('Sarah Connor')}`]);
  });

  it('takes a given name that is also a month only inside a sentence and not before a number', () => {
    const t = 'Her sister Jan was 2 years older than Jan. Jan 5 is her birthday. Jan said hi.';
    expect(mentions(t, 'Jan')).toEqual([`Jan@${t.indexOf('than Jan') + 5}`]);
  });

  it('never spreads a surname, another word of the span or a public figure', () => {
    const t = 'Dear Ms. Okafor, the Festival desk thanks you. Okafor and Festival are words here. Albert Einstein was a physicist.';
    expect(mentions(t, 'Okafor', 'Festival')).toEqual([]);
    const u = 'My friend Albert moved. Albert Einstein developed the theory of relativity.';
    expect(mentions(u, 'Albert')).toEqual([]);
  });
});
