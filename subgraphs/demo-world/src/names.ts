/** Invented given names and surnames for synthetic persons (combinations are not real people). */
export const GIVEN_NAMES = [
  'Jan', 'Pieter', 'Mohamed', 'Sven', 'Daan', 'Youssef', 'Kevin', 'Bram', 'Lucas', 'Hugo', 'Mateo', 'Javier',
  'Carlos', 'Andres', 'Luis', 'Diego', 'Thomas', 'Nicolas', 'Julien', 'Karim', 'Sofia', 'Lotte', 'Ines', 'Marta',
  'Claire', 'Amina', 'Elena', 'Noor', 'Yasmina', 'Lucia', 'Ricardo', 'Stefan', 'Milan', 'Tarik', 'Omar', 'Wout',
] as const;

export const SURNAMES = [
  'de Vries', 'Jansen', 'Bakker', 'El Amrani', 'Peeters', 'Maes', 'Janssens', 'Dubois', 'Lefebvre', 'Moreau',
  'Garcia Lopez', 'Fernandez', 'Martinez', 'Rodriguez', 'Vargas', 'Mendoza', 'Castillo', 'Ortega', 'Benali',
  'Vermeulen', 'Claes', 'Mertens', 'Bouzid', 'van Dam', 'Visser', 'Smit', 'Laurent', 'Girard', 'Navarro', 'Romero',
  'Herrera', 'Aydin', 'Kaya', 'Haddou', 'Wouters', 'Goossens',
] as const;

/** Invented company name stems for importers and front companies. */
export const COMPANY_STEMS = [
  'Tropical Fresh', 'Banana Import', 'Frutas del Sol', 'Reefer Logistics', 'Golden Harvest', 'EuroFruit Trading',
  'Andes Produce', 'Noordzee Koel', 'Scheldt Cargo', 'Atlantic Agro', 'Green Coast', 'Havenstad Expeditie',
  'Sol y Mar', 'Verdura Express', 'Polder Fresh', 'Nord Import', 'Quai des Fruits', 'Costa Verde',
] as const;

export const COMPANY_SUFFIX: Readonly<Record<string, string>> = { NL: 'B.V.', BE: 'BV', FR: 'SARL', ES: 'S.L.' };
