// ChorusConformance
