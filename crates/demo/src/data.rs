//! The built-in tables: cities, countries, the skill taxonomy, business
//! sectors and name lists. Plain static data; nothing here is random.

/// A country: its currency and the name pool its people are drawn from.
pub(crate) struct Country {
    pub currency: &'static str,
    pub names: usize,
}

pub(crate) const COUNTRIES: &[Country] = &[
    Country { currency: "GBP", names: BRITISH },  // 0 United Kingdom
    Country { currency: "EUR", names: GERMAN },   // 1 Germany
    Country { currency: "EUR", names: FRENCH },   // 2 France
    Country { currency: "EUR", names: BRITISH },  // 3 Ireland
    Country { currency: "EUR", names: DUTCH },    // 4 Netherlands
    Country { currency: "USD", names: AMERICAN }, // 5 United States
    Country { currency: "AUD", names: BRITISH },  // 6 Australia
    Country { currency: "INR", names: INDIAN },   // 7 India
];

/// A city people live in and businesses have sites in.
pub(crate) struct City {
    pub name: &'static str,
    pub zone: &'static str,
    pub lat: f64,
    pub lon: f64,
    /// Kilometres per degree of longitude here (111.32 × cos lat), precomputed
    /// so jittering a location needs no trigonometry (exact across platforms).
    pub km_per_deg_lon: f64,
    pub country: usize,
    /// Relative share of workers living here.
    pub weight: u32,
    /// Typical hourly rates by skill tier (entry, skilled trade, office, professional)
    /// in minor units (pence, cents, paise). Tier 0 sits at or just above the legal minimum.
    pub rates: [i64; 4],
    pub districts: &'static [&'static str],
}

macro_rules! city {
    ($name:literal, $zone:literal, $lat:literal, $lon:literal, $k:literal, $country:literal, $w:literal, $rates:expr, $d:expr) => {
        City { name: $name, zone: $zone, lat: $lat, lon: $lon, km_per_deg_lon: $k, country: $country, weight: $w, rates: $rates, districts: $d }
    };
}

#[rustfmt::skip]
pub(crate) const CITIES: &[City] = &[
    city!("London", "Europe/London", 51.5074, -0.1278, 69.29, 0, 18, [1300, 1550, 2000, 3500], &["Shoreditch", "Camden", "Canary Wharf", "Brixton", "Soho", "Stratford", "Hammersmith"]),
    city!("Manchester", "Europe/London", 53.4808, -2.2426, 66.25, 0, 6, [1275, 1450, 1800, 3000], &["Northern Quarter", "Ancoats", "Salford Quays", "Didsbury", "Deansgate"]),
    city!("Leeds", "Europe/London", 53.8008, -1.5491, 65.74, 0, 4, [1275, 1450, 1800, 3000], &["City Centre", "Headingley", "Holbeck", "Kirkstall"]),
    city!("Glasgow", "Europe/London", 55.8642, -4.2518, 62.47, 0, 4, [1275, 1450, 1800, 3000], &["Merchant City", "West End", "Finnieston", "Southside"]),
    city!("Birmingham", "Europe/London", 52.4862, -1.8904, 67.79, 0, 5, [1275, 1450, 1800, 3000], &["Digbeth", "Jewellery Quarter", "Edgbaston", "Bullring"]),
    city!("Bristol", "Europe/London", 51.4545, -2.5879, 69.37, 0, 3, [1275, 1475, 1850, 3100], &["Harbourside", "Clifton", "Stokes Croft", "Temple Meads"]),
    city!("Berlin", "Europe/Berlin", 52.5200, 13.4050, 67.74, 1, 7, [1400, 1600, 2100, 3800], &["Mitte", "Kreuzberg", "Prenzlauer Berg", "Friedrichshain", "Charlottenburg"]),
    city!("Munich", "Europe/Berlin", 48.1351, 11.5820, 74.29, 1, 4, [1450, 1700, 2300, 4000], &["Altstadt", "Schwabing", "Maxvorstadt", "Sendling"]),
    city!("Hamburg", "Europe/Berlin", 53.5511, 9.9937, 66.14, 1, 3, [1400, 1650, 2200, 3800], &["HafenCity", "St. Pauli", "Altona", "Eimsbüttel"]),
    city!("Paris", "Europe/Paris", 48.8566, 2.3522, 73.24, 2, 8, [1250, 1450, 2000, 3800], &["Le Marais", "Montmartre", "La Défense", "Bastille", "Saint-Germain"]),
    city!("Lyon", "Europe/Paris", 45.7640, 4.8357, 77.66, 2, 3, [1210, 1400, 1850, 3400], &["Presqu'île", "Part-Dieu", "Croix-Rousse", "Confluence"]),
    city!("Dublin", "Europe/Dublin", 53.3498, -6.2603, 66.45, 3, 3, [1450, 1650, 2200, 4000], &["Temple Bar", "Docklands", "Rathmines", "Smithfield"]),
    city!("Amsterdam", "Europe/Amsterdam", 52.3676, 4.9041, 67.97, 4, 4, [1500, 1700, 2300, 4200], &["Jordaan", "De Pijp", "Zuidas", "Oost"]),
    city!("New York", "America/New_York", 40.7128, -74.0060, 84.38, 5, 10, [1750, 2100, 2800, 5500], &["Midtown", "Williamsburg", "Lower East Side", "Harlem", "Long Island City"]),
    city!("Chicago", "America/Chicago", 41.8781, -87.6298, 82.89, 5, 5, [1700, 2000, 2600, 5000], &["The Loop", "Wicker Park", "River North", "Hyde Park"]),
    city!("Los Angeles", "America/Los_Angeles", 34.0522, -118.2437, 92.23, 5, 5, [1800, 2100, 2800, 5500], &["Downtown", "Silver Lake", "Santa Monica", "Koreatown"]),
    city!("Boston", "America/New_York", 42.3601, -71.0589, 82.26, 5, 3, [1650, 2000, 2700, 5200], &["Back Bay", "Seaport", "Cambridge", "Dorchester"]),
    city!("Sydney", "Australia/Sydney", -33.8688, 151.2093, 92.43, 6, 5, [3150, 3500, 4300, 7000], &["CBD", "Surry Hills", "Parramatta", "Bondi", "Newtown"]),
    city!("Melbourne", "Australia/Melbourne", -37.8136, 144.9631, 87.94, 6, 4, [3150, 3450, 4200, 6800], &["CBD", "Fitzroy", "St Kilda", "Docklands"]),
    city!("Bengaluru", "Asia/Kolkata", 12.9716, 77.5946, 108.48, 7, 5, [15000, 22000, 45000, 90000], &["Koramangala", "Indiranagar", "Whitefield", "MG Road"]),
    city!("Mumbai", "Asia/Kolkata", 19.0760, 72.8777, 105.21, 7, 5, [16000, 23000, 45000, 90000], &["Bandra", "Andheri", "Lower Parel", "Colaba"]),
    city!("Delhi", "Asia/Kolkata", 28.6139, 77.2090, 97.72, 7, 4, [14000, 20000, 40000, 80000], &["Connaught Place", "Saket", "Hauz Khas", "Dwarka"]),
];

/// One skill of the taxonomy.
pub(crate) struct SkillInfo {
    pub code: &'static str,
    pub name: &'static str,
    /// Index into a city's `rates`.
    pub tier: usize,
    /// Whether the work can be done remotely.
    pub remote: bool,
    /// A plausible external certificate for the skill.
    pub certificate: &'static str,
}

macro_rules! skill {
    ($code:literal, $name:literal, $tier:literal, $remote:literal, $cert:literal) => {
        SkillInfo { code: $code, name: $name, tier: $tier, remote: $remote, certificate: $cert }
    };
}

#[rustfmt::skip]
pub(crate) const SKILLS: &[SkillInfo] = &[
    // Hospitality
    skill!("barista", "Barista", 0, false, "SCA Barista Foundation"),
    skill!("waiter", "Waiting staff", 0, false, "Food Service Skills Certificate"),
    skill!("bartender", "Bartender", 1, false, "Responsible Alcohol Service Certificate"),
    skill!("line_cook", "Line cook", 1, false, "Level 2 Food Hygiene"),
    skill!("sous_chef", "Sous chef", 2, false, "Level 3 Professional Cookery"),
    skill!("kitchen_porter", "Kitchen porter", 0, false, "Level 1 Food Hygiene"),
    skill!("food_runner", "Food runner", 0, false, "Level 1 Food Hygiene"),
    skill!("host", "Front-of-house host", 0, false, "Customer Service Certificate"),
    skill!("housekeeper", "Hotel housekeeper", 0, false, "Housekeeping Skills Certificate"),
    skill!("hotel_porter", "Hotel porter", 0, false, "Manual Handling Certificate"),
    // Cleaning and facilities
    skill!("cleaner", "Cleaner", 0, false, "BICSc Cleaning Certificate"),
    skill!("deep_cleaning", "Deep cleaning", 1, false, "COSHH Awareness"),
    // Logistics
    skill!("warehouse_picker", "Warehouse picker", 0, false, "Manual Handling Certificate"),
    skill!("packer", "Packer", 0, false, "Manual Handling Certificate"),
    skill!("forklift_driver", "Forklift driver", 1, false, "Counterbalance Forklift Licence"),
    skill!("delivery_driver", "Delivery driver", 1, false, "Full Driving Licence"),
    skill!("stock_controller", "Stock controller", 1, false, "Inventory Management Certificate"),
    // Retail
    skill!("retail_assistant", "Retail assistant", 0, false, "Retail Skills Certificate"),
    skill!("cashier", "Cashier", 0, false, "Cash Handling Certificate"),
    skill!("stock_replenisher", "Stock replenishment", 0, false, "Manual Handling Certificate"),
    skill!("visual_merchandiser", "Visual merchandiser", 1, false, "Visual Merchandising Diploma"),
    // Events and security
    skill!("event_steward", "Event steward", 0, false, "Spectator Safety Certificate"),
    skill!("security_guard", "Security guard", 1, false, "Security Officer Licence"),
    skill!("cloakroom_attendant", "Cloakroom attendant", 0, false, "Customer Service Certificate"),
    skill!("event_setup", "Event setup crew", 0, false, "Working at Height Certificate"),
    skill!("brand_ambassador", "Brand ambassador", 0, false, "Customer Service Certificate"),
    skill!("first_aid", "First aider", 1, false, "First Aid at Work"),
    // Care and childcare
    skill!("care_assistant", "Care assistant", 1, false, "Care Certificate"),
    skill!("support_worker", "Support worker", 1, false, "Level 2 Health and Social Care"),
    skill!("nursery_assistant", "Nursery assistant", 1, false, "Level 3 Early Years Educator"),
    skill!("exam_invigilator", "Exam invigilator", 0, false, "Invigilator Training Certificate"),
    // Office
    skill!("receptionist", "Receptionist", 1, false, "Front Office Certificate"),
    skill!("admin_assistant", "Administrative assistant", 1, true, "Business Administration Certificate"),
    skill!("data_entry", "Data entry", 1, true, "Typing Speed Certificate"),
    skill!("customer_support", "Customer support", 1, true, "Customer Service Certificate"),
    skill!("bookkeeping", "Bookkeeping", 2, true, "AAT Level 3 Bookkeeping"),
    skill!("payroll", "Payroll", 2, true, "Payroll Practitioner Certificate"),
    // Digital and language
    skill!("copywriting", "Copywriting", 2, true, "Professional Copywriting Diploma"),
    skill!("web_development", "Web development", 3, true, "Full-Stack Web Development Bootcamp"),
    skill!("graphic_design", "Graphic design", 2, true, "Adobe Certified Professional"),
    skill!("ux_design", "UX design", 3, true, "UX Design Professional Certificate"),
    skill!("social_media", "Social media management", 2, true, "Social Media Marketing Certificate"),
    skill!("video_editing", "Video editing", 2, true, "Premiere Pro Certified Professional"),
    skill!("qa_testing", "Software testing", 2, true, "ISTQB Foundation"),
    skill!("translation", "Translation", 2, true, "Diploma in Translation"),
    skill!("transcription", "Transcription", 1, true, "Transcription Skills Certificate"),
    skill!("tutoring", "Tutoring", 2, true, "Qualified Teacher Status"),
];

/// Remote work any business may post when its own sector has none.
pub(crate) const BACK_OFFICE: &[&str] =
    &["bookkeeping", "payroll", "data_entry", "customer_support", "social_media", "admin_assistant"];

/// A kind of business: what skills it needs, when its shifts run, how it is named.
pub(crate) struct Sector {
    pub skills: &'static [&'static str],
    pub suffixes: &'static [&'static str],
    /// Relative share of businesses.
    pub business_weight: u32,
    /// Relative share of workers whose main trade this is.
    pub worker_weight: u32,
    /// Local start-time windows in minutes after midnight, inclusive, 15-minute aligned.
    pub slots: &'static [(u32, u32)],
    /// Shift length range in minutes, inclusive, 15-minute aligned (within 3 to 10 hours).
    pub minutes: (u32, u32),
    /// Whether shifts happen at weekends as often as on weekdays.
    pub weekends: bool,
    pub notes: &'static [&'static str],
}

const H: u32 = 60;

#[rustfmt::skip]
pub(crate) const SECTORS: &[Sector] = &[
    Sector { // café
        skills: &["barista", "waiter", "kitchen_porter", "cleaner", "food_runner", "line_cook"],
        suffixes: &["Coffee Co.", "Café", "Coffee House", "Bakery & Café"],
        business_weight: 14, worker_weight: 12,
        slots: &[(6 * H, 8 * H), (11 * H, 13 * H), (15 * H, 16 * H)], minutes: (4 * H, 8 * H), weekends: true,
        notes: &["Busy brunch service; black top and closed-toe shoes.", "Espresso bar and counter service.", "Opening shift: set up, bake-off and first rush."],
    },
    Sector { // restaurant
        skills: &["waiter", "line_cook", "kitchen_porter", "sous_chef", "bartender", "host", "food_runner"],
        suffixes: &["Kitchen", "Bistro", "Brasserie", "Trattoria", "Dining Rooms"],
        business_weight: 12, worker_weight: 12,
        slots: &[(10 * H, 12 * H), (16 * H, 18 * H)], minutes: (4 * H, 9 * H), weekends: true,
        notes: &["Dinner service, 120 covers; staff meal provided.", "Lunch rush in a busy open kitchen.", "Private dining event; smart black uniform."],
    },
    Sector { // bar
        skills: &["bartender", "waiter", "security_guard", "cleaner", "host"],
        suffixes: &["Tap Room", "Cocktail Bar", "Arms", "Social"],
        business_weight: 6, worker_weight: 6,
        slots: &[(16 * H, 21 * H)], minutes: (4 * H, 8 * H), weekends: true,
        notes: &["Friday night cocktail service.", "Live music night; expect queues at the bar.", "Quiz night; table service and glass collection."],
    },
    Sector { // hotel
        skills: &["housekeeper", "hotel_porter", "receptionist", "waiter", "barista", "kitchen_porter", "deep_cleaning"],
        suffixes: &["Hotel", "Suites", "Inn"],
        business_weight: 7, worker_weight: 8,
        slots: &[(6 * H, 9 * H), (14 * H, 15 * H)], minutes: (5 * H, 8 * H), weekends: true,
        notes: &["Room turnovers after a full house; trolley provided.", "Breakfast service in the main restaurant.", "Conference day: front desk and porterage."],
    },
    Sector { // logistics
        skills: &["warehouse_picker", "packer", "forklift_driver", "delivery_driver", "stock_controller"],
        suffixes: &["Logistics", "Fulfilment", "Distribution", "Freight"],
        business_weight: 10, worker_weight: 12,
        slots: &[(6 * H, 7 * H), (13 * H, 14 * H), (17 * H, 18 * H)], minutes: (6 * H, 10 * H), weekends: true,
        notes: &["Peak season picking; safety boots and hi-vis required.", "Inbound goods: unloading and put-away.", "Multi-drop van route; vehicle supplied."],
    },
    Sector { // retail
        skills: &["retail_assistant", "cashier", "stock_replenisher", "visual_merchandiser", "security_guard"],
        suffixes: &["Stores", "Outfitters", "Market", "Home & Living"],
        business_weight: 12, worker_weight: 12,
        slots: &[(7 * H, 10 * H), (12 * H, 14 * H), (16 * H, 17 * H)], minutes: (4 * H, 8 * H), weekends: true,
        notes: &["Weekend sale; tills and fitting rooms.", "Overnight delivery to unpack and merchandise.", "Window change for the new season."],
    },
    Sector { // events
        skills: &["event_steward", "security_guard", "cloakroom_attendant", "event_setup", "brand_ambassador", "bartender", "first_aid"],
        suffixes: &["Events", "Live", "Arena", "Productions"],
        business_weight: 7, worker_weight: 8,
        slots: &[(8 * H, 10 * H), (15 * H, 19 * H)], minutes: (4 * H, 10 * H), weekends: true,
        notes: &["Stadium concert, 15,000 capacity; briefing 30 minutes before start.", "Trade show build day; steel toe caps.", "Product launch; branded uniform provided."],
    },
    Sector { // care
        skills: &["care_assistant", "support_worker", "cleaner", "first_aid"],
        suffixes: &["Care Homes", "Home Care", "Care Group"],
        business_weight: 7, worker_weight: 8,
        slots: &[(7 * H, 8 * H), (14 * H, 15 * H), (19 * H, 21 * H)], minutes: (6 * H, 10 * H), weekends: true,
        notes: &["Residential home, 40 residents; handover at the start.", "Home visits within the borough; travel time paid.", "Dementia unit; experience preferred."],
    },
    Sector { // education and childcare
        skills: &["nursery_assistant", "tutoring", "exam_invigilator", "first_aid"],
        suffixes: &["Tutors", "Learning Centre", "Nurseries", "Academy"],
        business_weight: 5, worker_weight: 5,
        slots: &[(7 * H + 30, 9 * H), (15 * H, 17 * H)], minutes: (3 * H, 7 * H), weekends: false,
        notes: &["Exam season invigilation; quiet shoes.", "After-school maths and English groups.", "Nursery room cover, ratio 1:4."],
    },
    Sector { // facilities
        skills: &["cleaner", "deep_cleaning", "security_guard", "hotel_porter"],
        suffixes: &["Cleaning Services", "Facilities", "Property Services"],
        business_weight: 6, worker_weight: 6,
        slots: &[(6 * H, 8 * H), (17 * H, 20 * H)], minutes: (3 * H, 8 * H), weekends: true,
        notes: &["Office clean after hours; keys from the security desk.", "End-of-tenancy deep clean; equipment provided.", "Post-construction clean."],
    },
    Sector { // office services
        skills: &["receptionist", "admin_assistant", "data_entry", "bookkeeping", "payroll", "customer_support"],
        suffixes: &["Accountants", "Business Services", "Partners", "Associates"],
        business_weight: 6, worker_weight: 6,
        slots: &[(8 * H, 10 * H), (12 * H, 13 * H)], minutes: (3 * H, 8 * H), weekends: false,
        notes: &["Month-end close; Xero experience helpful.", "Front desk cover for a busy practice.", "Backlog of invoices to enter."],
    },
    Sector { // digital agency
        skills: &["copywriting", "web_development", "graphic_design", "ux_design", "social_media", "video_editing", "qa_testing"],
        suffixes: &["Digital", "Studio", "Labs", "Creative"],
        business_weight: 5, worker_weight: 4,
        slots: &[(8 * H, 11 * H), (13 * H, 14 * H)], minutes: (3 * H, 8 * H), weekends: false,
        notes: &["Landing page refresh for a client launch.", "Regression testing before a release.", "Campaign assets in three sizes."],
    },
    Sector { // language services
        skills: &["translation", "transcription", "copywriting", "customer_support"],
        suffixes: &["Translations", "Language Services", "Linguistics"],
        business_weight: 3, worker_weight: 2,
        slots: &[(8 * H, 11 * H), (13 * H, 15 * H)], minutes: (3 * H, 7 * H), weekends: false,
        notes: &["Legal documents, confidentiality agreement required.", "Interview transcripts, clean verbatim.", "Product catalogue localisation."],
    },
];

pub(crate) const REMOTE_NOTES: &[&str] = &[
    "Remote: work from home; video call to start.",
    "Remote: shared documents and chat; deliverables by the end of the window.",
    "Remote: secure laptop login provided.",
];

pub(crate) const BUSINESS_PREFIXES: &[&str] = &[
    "Bluebell", "Northgate", "Harbour", "Oak & Ash", "Copper", "Riverside", "Juniper", "Granite", "Saffron",
    "Kestrel", "Lantern", "Meridian", "Foxglove", "Ember", "Silver Birch", "Orchard", "Beacon", "Marlowe",
    "Atlas", "Wren", "Cobalt", "Larkspur", "Thistle", "Brightwater", "Hawthorn", "Redbrick", "Maple",
    "Sterling", "Greenway", "Fable",
];

pub(crate) const BRITISH: usize = 0;
pub(crate) const GERMAN: usize = 1;
pub(crate) const FRENCH: usize = 2;
pub(crate) const DUTCH: usize = 3;
pub(crate) const AMERICAN: usize = 4;
pub(crate) const INDIAN: usize = 5;

/// (first names, last names) by pool.
#[rustfmt::skip]
pub(crate) const NAMES: &[(&[&str], &[&str])] = &[
    (&["Oliver", "Amelia", "George", "Olivia", "Harry", "Isla", "Jack", "Ava", "Noah", "Emily", "Mohammed", "Sophie",
       "Charlie", "Grace", "Aoife", "Liam", "Priya", "Callum", "Zara", "Thomas", "Chloe", "Ethan", "Niamh", "Kwame"],
     &["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Davies", "Evans", "Khan", "Patel", "Murphy", "Walsh",
       "Campbell", "Robinson", "Wright", "Thompson", "Hughes", "Edwards", "Green", "Hall", "Wood", "Clarke", "Okafor", "Byrne"]),
    (&["Lukas", "Mia", "Leon", "Emma", "Finn", "Hannah", "Jonas", "Lea", "Paul", "Sophia", "Felix", "Lena",
       "Elias", "Marie", "Maximilian", "Anna", "Emre", "Clara", "Jan", "Laura", "Tobias", "Johanna", "Niklas", "Aylin"],
     &["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Koch", "Richter",
       "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Yılmaz", "Hartmann", "Lange", "Werner"]),
    (&["Gabriel", "Louise", "Raphaël", "Jade", "Léo", "Ambre", "Louis", "Alice", "Arthur", "Chloé", "Jules", "Inès",
       "Hugo", "Léa", "Adam", "Manon", "Nathan", "Camille", "Yanis", "Sarah", "Lucas", "Emma", "Théo", "Yasmine"],
     &["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent",
       "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "Benali", "Mercier"]),
    (&["Daan", "Emma", "Sem", "Julia", "Lucas", "Mila", "Levi", "Tess", "Finn", "Sophie", "Noah", "Zoë",
       "Milan", "Sara", "Bram", "Anna", "Thijs", "Fleur", "Jesse", "Lotte", "Ruben", "Evi", "Mohamed", "Noor"],
     &["de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
       "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "El Amrani"]),
    (&["Liam", "Olivia", "Noah", "Emma", "James", "Charlotte", "Mateo", "Amelia", "Elijah", "Sofia", "Lucas", "Mia",
       "Jayden", "Harper", "Benjamin", "Camila", "Daniel", "Aaliyah", "Michael", "Evelyn", "Santiago", "Abigail", "Wei", "Destiny"],
     &["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez",
       "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Lee", "Nguyen", "Kim", "Washington", "Chen"]),
    (&["Aarav", "Aadhya", "Vihaan", "Ananya", "Arjun", "Diya", "Sai", "Saanvi", "Reyansh", "Pari", "Krishna", "Anika",
       "Ishaan", "Kavya", "Rohan", "Meera", "Aditya", "Ishita", "Rahul", "Pooja", "Karthik", "Lakshmi", "Imran", "Fatima"],
     &["Sharma", "Verma", "Gupta", "Patel", "Reddy", "Iyer", "Nair", "Rao", "Singh", "Kumar", "Das", "Mehta",
       "Joshi", "Menon", "Pillai", "Chatterjee", "Banerjee", "Desai", "Kulkarni", "Shetty", "Khan", "Agarwal", "Naidu", "Bhat"]),
];
