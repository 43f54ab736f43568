# language: fr
Fonctionnalité: Être guidé tout au long de la démarche
  Bon à savoir : « La création de mon espace est simple et rapide ! Je suis guidé tout au long de
  la démarche et le Chatbot peut lui aussi m'aider si j'ai des questions. »

  Être guidé se voit sur la page : chaque étape du parcours (④ à ⑨) dit où en est la personne,
  par une indication « Étape 2 sur 6 » (ses mots et son nombre d'étapes sont ceux du site), qui
  avance d'une étape à chaque étape franchie.

  Règle: La personne sait à chaque page à quelle étape elle en est

    @GUIDAGE @bon_a_savoir @navigateur_seulement
    Scénario: Chaque étape du parcours est indiquée sur la page
      Étant donné une personne qui commence la création de son compte
      Alors la page indique à quelle étape du parcours elle en est, « état civil »
      Quand elle renseigne correctement son état civil
      Alors la page indique à quelle étape du parcours elle en est, « pièce d'identité »
      Quand elle renseigne correctement son titre d'identité
      Alors la page indique à quelle étape du parcours elle en est, « coordonnées de contact »
      Quand elle demande un code pour son adresse e-mail
      Alors la page indique à quelle étape du parcours elle en est, « code de confirmation »
      Quand elle saisit le code reçu
      Alors la page indique à quelle étape du parcours elle en est, « mot de passe »
      Quand elle choisit un mot de passe qui respecte la règle
      Alors la page indique à quelle étape du parcours elle en est, « récapitulatif »
