// ChorusCore
