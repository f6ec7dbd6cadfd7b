package io.harmonix.console.internal;

import java.util.List;

/**
 * A page of a list whose length is not known without reading it all (an agent's states in a run, the decisions):
 * read {@code limit + 1} items from {@code offset}; the one beyond the page only says that there is a next page.
 *
 * @param more true when there is a next page: ask again with {@code offset + limit}
 */
record Window<T>(List<T> items, int limit, int offset, boolean more) {
    /** @return how many items to read for {@code page}: one more than it shows */
    static int toRead(Page page) {
        return page.limit() + 1;
    }

    /** @param read what was read from {@code page.offset()} on, at most {@link #toRead} items */
    static <T> Window<T> of(Page page, List<T> read) {
        boolean more = read.size() > page.limit();
        return new Window<>(List.copyOf(more ? read.subList(0, page.limit()) : read), page.limit(), page.offset(),
                more);
    }
}
