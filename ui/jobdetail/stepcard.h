// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QFrame>
#include <QList>
#include <QPointer>

#include "core/store/records.h"
#include "core/workflow/workflow.h"

class QLabel;
class QListWidget;
class QListWidgetItem;
class QPlainTextEdit;
class QPushButton;
class QToolButton;

namespace brieflow::ui {

class ThumbnailCache;

/** Everything one step card shows, read from the store by JobDetailView. */
struct StepView {
    StepRecord step;
    QString title;
    StepKind kind = StepKind::Text;
    QString model;
    QList<ProviderCallRecord> calls; ///< by attempt
    QList<OutputRecord> images;      ///< this step's stored images, oldest first
    bool jobActive = false;          ///< the job is pending or processing
    bool canEdit = false;            ///< a text step whose output the next step reads
    bool isLast = false;

    friend bool operator==(const StepView &, const StepView &) = default;
};

/**
 * One step of the job detail's stepper: number, title, state icon and word, model, times,
 * an attempts chip, the plain-words error with a "Details" disclosure and "Copy details", the
 * step's input (collapsed) and output: text (streamed live, editable in place for the concept
 * and the image prompt) or a strip of image thumbnails (double-click opens the file).
 */
class StepCard final : public QFrame {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StepCard)

public:
    StepCard(int number, ThumbnailCache *thumbnails, QWidget *parent = nullptr);

    /** Shows @p view; does nothing when it equals what is shown, and re-sets only the parts
     *  that changed (a large text is never laid out again for nothing). */
    void setStep(const StepView &view);
    /** Forgets the shown step (another job's step comes next): editing, streamed text and the
     *  disclosures are reset. */
    void reset();
    /** How many times setStep() changed what the card shows, for tests. */
    int updateCount() const { return m_updates; }
    const StepView &stepView() const { return m_view; }
    /** Live text of a running text step (the whole text so far). Ignored while editing. */
    void setStreamingText(const QString &text);

    QString stateText() const;
    QString errorText() const;
    QString detailsText() const;
    QString outputText() const;
    bool isEditing() const { return m_editing; }
    int imageCount() const;
    QListWidget *imageStrip() const { return m_images; }
    QPlainTextEdit *outputEdit() const { return m_output; }
    QPushButton *retryButton() const { return m_retry; }
    QPushButton *retryFromHereButton() const { return m_retryFromHere; }
    QPushButton *editButton() const { return m_edit; }
    QPushButton *rerunButton() const { return m_rerun; }
    QToolButton *detailsButton() const { return m_detailsToggle; }

public Q_SLOTS:
    void startEditing();
    void cancelEditing();
    void copyDetails();

Q_SIGNALS:
    /** Retry: run this (failed) step and what follows again. */
    void retryRequested();
    /** "Retry from this step…" (the view asks for confirmation). */
    void retryFromHereRequested();
    /** "Re-run from here" after editing this step's output text. */
    void rerunWithEdit(const QString &text);
    void openFileRequested(const QString &path);

private:
    void updateThumbnails();
    void updateButtons();
    void fitOutputHeight();

    int m_number;
    QPointer<ThumbnailCache> m_thumbnails;
    StepView m_view;
    bool m_editing = false;
    bool m_hasView = false;
    int m_updates = 0;
    QString m_streamed;

    QLabel *m_title = nullptr;
    QLabel *m_state = nullptr;
    QLabel *m_stateIcon = nullptr;
    QLabel *m_attempts = nullptr;
    QLabel *m_meta = nullptr;
    QLabel *m_error = nullptr;
    QLabel *m_hint = nullptr;
    QToolButton *m_detailsToggle = nullptr;
    QPushButton *m_copyDetails = nullptr;
    QPlainTextEdit *m_details = nullptr;
    QToolButton *m_inputToggle = nullptr;
    QPlainTextEdit *m_input = nullptr;
    QPlainTextEdit *m_output = nullptr;
    QListWidget *m_images = nullptr;
    QLabel *m_note = nullptr;
    QPushButton *m_retry = nullptr;
    QPushButton *m_retryFromHere = nullptr;
    QPushButton *m_edit = nullptr;
    QPushButton *m_rerun = nullptr;
    QPushButton *m_cancelEdit = nullptr;
};

/** What the user can do about an error_type, in a few words (ui.md "Errors in the user's
 *  words"); empty when nothing is needed. */
QString errorActionHint(const QString &errorType);

} // namespace brieflow::ui
