// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDialog>

#include "core/brief/brief.h"
#include "core/store/records.h"

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace brieflow {
class JobStore;
}

namespace brieflow::ui {

/**
 * "New job from this prompt": shows the brief's product and the image prompt (editable) and,
 * on "Queue job", queues a job that starts at the images through submitFromImagePrompt() — the
 * concept and the prompt are reused, so only the images are paid for. A refusal (an empty or
 * unusable prompt, a store error) is shown inline and the dialog stays open with the text.
 *
 * API: PromptJobDialog(JobStore &writer, Brief, conceptText, imagePrompt, source, parent)
 *      signal queued(JobRecord) — the job was queued (the dialog then closes)
 */
class PromptJobDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PromptJobDialog)

public:
    PromptJobDialog(JobStore &writer, const Brief &brief, const QString &conceptText,
                    const QString &imagePrompt, const QString &source, QWidget *parent = nullptr);
    ~PromptJobDialog() override;

    QPlainTextEdit *promptEdit() const { return m_prompt; }
    QPushButton *queueButton() const { return m_queue; }
    /** The inline error, empty when there is none. */
    QString errorText() const;

public Q_SLOTS:
    /** Queues the job; closes on success, shows the problem otherwise. */
    void queueJob();

Q_SIGNALS:
    void queued(const brieflow::JobRecord &job);

private:
    JobStore &m_writer;
    Brief m_brief;
    QString m_concept;
    QString m_source;
    QPlainTextEdit *m_prompt = nullptr;
    QLabel *m_error = nullptr;
    QPushButton *m_queue = nullptr;
};

} // namespace brieflow::ui
