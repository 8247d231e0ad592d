package raftkv.checker;

/** A history read from a file, with the model its format implies. */
public record ParsedHistory(History history, Model model, String format) {}
