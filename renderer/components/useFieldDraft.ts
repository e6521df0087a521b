import { useCallback, useState } from 'react';

export type FieldDraft = {
  value: string;
  /** The user changed the text since it last matched what is saved. */
  dirty: boolean;
  inputProps: {
    value: string;
    onChange: (e: { target: { value: string } }) => void;
    onFocus: () => void;
    onBlur: () => void;
  };
  /** After a successful save of `saved`: the field is clean again (unless typed on meanwhile). */
  markSaved: (saved: string) => void;
};

/**
 * One input's own text, kept while saves and refetches happen: a value arriving from the server replaces the
 * text only when the field is neither focused nor changed by the user. A refetch caused by saving the
 * neighbouring field (the user has tabbed on and is typing here) therefore never resets what is being typed.
 */
export function useFieldDraft(server: string, onBlur?: (draft: FieldDraft) => void): FieldDraft {
  const [value, setValue] = useState(server);
  // The saved value the text was last in step with: text === base means “not changed by the user”.
  const [base, setBase] = useState(server);
  const [focused, setFocused] = useState(false);
  const dirty = value !== base;
  if (server !== base && !dirty && !focused) {
    setBase(server);
    setValue(server);
  }
  const markSaved = useCallback((saved: string) => setBase(saved), []);
  const draft: FieldDraft = {
    value,
    dirty,
    markSaved,
    inputProps: {
      value,
      onChange: (e) => setValue(e.target.value),
      onFocus: () => setFocused(true),
      onBlur: () => {
        setFocused(false);
        onBlur?.(draft);
      },
    },
  };
  return draft;
}
