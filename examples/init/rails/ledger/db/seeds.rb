puts "seeding"
