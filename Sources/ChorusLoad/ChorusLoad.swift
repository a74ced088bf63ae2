// ChorusLoad
