/**
 * Name pools for demo persons by the region of their citizenship, in the Latin transliteration
 * their passports print. Invented combinations; any likeness to a real person is chance.
 */
export interface NamePool {
  female: readonly string[];
  male: readonly string[];
  surnames: readonly string[];
  /** Whether documents of this region carry a patronymic. */
  patronymic: boolean;
}

export const NAME_POOLS: Record<string, NamePool> = {
  slavic: {
    female: ['Anna', 'Elena', 'Olga', 'Natalia', 'Irina', 'Svetlana', 'Tatiana', 'Maria', 'Yulia', 'Daria'],
    male: ['Ivan', 'Sergei', 'Alexei', 'Dmitry', 'Nikolai', 'Andrei', 'Pavel', 'Mikhail', 'Oleg', 'Viktor'],
    surnames: ['Ivanov', 'Smirnov', 'Kuznetsov', 'Popov', 'Sokolov', 'Lebedev', 'Kozlov', 'Novikov', 'Morozov', 'Volkov', 'Shevchenko', 'Kovalenko'],
    patronymic: true,
  },
  turkic: {
    female: ['Ayse', 'Fatma', 'Zeynep', 'Elif', 'Aigerim', 'Dilnoza', 'Gulnara', 'Merve', 'Aida', 'Madina'],
    male: ['Mehmet', 'Mustafa', 'Ahmet', 'Emre', 'Murat', 'Nurlan', 'Bekzod', 'Timur', 'Serik', 'Yusuf'],
    surnames: ['Yilmaz', 'Kaya', 'Demir', 'Sahin', 'Celik', 'Ozturk', 'Nazarbayev', 'Karimov', 'Tursunov', 'Abdullayev', 'Aydin', 'Arslan'],
    patronymic: false,
  },
  caucasus: {
    female: ['Nino', 'Tamar', 'Mariam', 'Ana', 'Eka', 'Lia', 'Salome', 'Natia', 'Keti', 'Maka'],
    male: ['Giorgi', 'Levan', 'David', 'Irakli', 'Nika', 'Zurab', 'Lasha', 'Sandro', 'Tornike', 'Vakhtang'],
    surnames: ['Beridze', 'Kapanadze', 'Gelashvili', 'Maisuradze', 'Giorgadze', 'Lomidze', 'Tsiklauri', 'Kvaratskhelia', 'Mamedov', 'Aliyev'],
    patronymic: false,
  },
  iranian: {
    female: ['Maryam', 'Zahra', 'Fatemeh', 'Narges', 'Leila', 'Shirin', 'Parisa', 'Sara', 'Mina', 'Nasrin'],
    male: ['Ali', 'Reza', 'Hossein', 'Mohammad', 'Hamid', 'Saeed', 'Amir', 'Mehdi', 'Farhad', 'Babak'],
    surnames: ['Hosseini', 'Ahmadi', 'Rezaei', 'Mohammadi', 'Karimi', 'Rahimi', 'Jafari', 'Moradi', 'Sadeghi', 'Tabrizi'],
    patronymic: false,
  },
  southAsian: {
    female: ['Priya', 'Anjali', 'Sunita', 'Ayesha', 'Fatima', 'Nusrat', 'Kavita', 'Pooja', 'Sana', 'Rekha'],
    male: ['Rahul', 'Amit', 'Sanjay', 'Imran', 'Bilal', 'Rakib', 'Vikram', 'Arjun', 'Hassan', 'Suresh'],
    surnames: ['Sharma', 'Patel', 'Singh', 'Kumar', 'Khan', 'Hossain', 'Rahman', 'Gupta', 'Ahmed', 'Chowdhury', 'Thapa', 'Gurung'],
    patronymic: false,
  },
  eastAsian: {
    female: ['Li Na', 'Wang Fang', 'Zhang Min', 'Liu Yan', 'Chen Jing', 'Yang Li', 'Huang Mei', 'Zhao Lei', 'Wu Xia', 'Zhou Hui'],
    male: ['Wang Wei', 'Li Qiang', 'Zhang Jun', 'Liu Yang', 'Chen Gang', 'Yang Bo', 'Huang Tao', 'Zhao Peng', 'Wu Hao', 'Zhou Jie'],
    surnames: ['Wang', 'Li', 'Zhang', 'Liu', 'Chen', 'Yang', 'Huang', 'Zhao', 'Wu', 'Zhou'],
    patronymic: false,
  },
  western: {
    female: ['Emma', 'Olivia', 'Sophie', 'Laura', 'Hannah', 'Claire', 'Julia', 'Sarah', 'Anna', 'Lucy'],
    male: ['James', 'John', 'Thomas', 'Michael', 'David', 'Lukas', 'Daniel', 'Robert', 'Paul', 'Mark'],
    surnames: ['Smith', 'Johnson', 'Brown', 'Miller', 'Wilson', 'Muller', 'Schmidt', 'Martin', 'Taylor', 'Cohen', 'Levi', 'Bernard'],
    patronymic: false,
  },
  arab: {
    female: ['Fatima', 'Aisha', 'Mariam', 'Noor', 'Huda', 'Layla', 'Salma', 'Rania', 'Yasmin', 'Amira'],
    male: ['Mohamed', 'Ahmed', 'Omar', 'Khaled', 'Youssef', 'Hassan', 'Tarek', 'Karim', 'Mahmoud', 'Ibrahim'],
    surnames: ['Hassan', 'Ali', 'Ibrahim', 'Mahmoud', 'Abdelrahman', 'Mostafa', 'Salem', 'Nasser', 'Haddad', 'Khalil'],
    patronymic: false,
  },
};

/** Demo citizenships with their share of the demo population and their name region. null = stateless. */
export const DEMO_CITIZENSHIPS: readonly (readonly [string | null, number, keyof typeof NAME_POOLS])[] = [
  ['RUS', 18, 'slavic'],
  ['TUR', 12, 'turkic'],
  ['IRN', 7, 'iranian'],
  ['GEO', 6, 'caucasus'],
  ['UKR', 5, 'slavic'],
  ['KAZ', 3, 'turkic'],
  ['UZB', 4, 'turkic'],
  ['BLR', 2, 'slavic'],
  ['IND', 8, 'southAsian'],
  ['PAK', 4, 'southAsian'],
  ['BGD', 3, 'southAsian'],
  ['NPL', 2, 'southAsian'],
  ['CHN', 5, 'eastAsian'],
  ['GBR', 3, 'western'],
  ['USA', 3, 'western'],
  ['DEU', 2, 'western'],
  ['ISR', 2, 'western'],
  ['EGY', 2, 'arab'],
  ['JOR', 1, 'arab'],
  [null, 3, 'caucasus'],
];
