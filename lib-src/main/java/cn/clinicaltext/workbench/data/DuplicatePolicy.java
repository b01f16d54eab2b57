package cn.clinicaltext.workbench.data;

/**
 * What happens to a text that occurs more than once with different labels (copies with the same label are always
 * merged into the first). Which label is right cannot be known from the data, so the default drops every copy
 * rather than let an arbitrary one reach a split (the original kept the first, so a flipped label such as
 * 混合痔，便血2周 as "upper GI" could land in train.txt).
 */
public enum DuplicatePolicy {
    /** drop every copy of a conflicting text (default) */
    DROP_ALL,
    /** keep the label most copies carry; a tie is dropped */
    MAJORITY,
    /** keep the first copy's label (the original project's behaviour) */
    KEEP_FIRST;

    public static final DuplicatePolicy DEFAULT = DROP_ALL;
}
