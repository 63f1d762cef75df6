module hgtop.test/reader

go 1.16
