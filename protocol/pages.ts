/** The most items a registry gives in one page of a list (`first` or `last`): the gateway counts an unbounded page at this size. */
export const MAX_PAGE_SIZE = 1000;
