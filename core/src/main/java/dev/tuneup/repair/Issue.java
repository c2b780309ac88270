package dev.tuneup.repair;

/**
 * One suspected label error.
 *
 * @param index          position of the example in the inputs
 * @param givenLabel     the label the data set gives it
 * @param suggestedLabel the model's most probable class (argmax of its predicted probabilities)
 * @param score          label-quality score of the {@link Ranking} used; lower is more suspicious
 * @param suggestedProbability the out-of-sample probability of the suggested class
 */
public record Issue(int index, int givenLabel, int suggestedLabel, double score, double suggestedProbability) {}
