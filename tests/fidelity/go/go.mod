module hgtop.test/fidelity

go 1.16
